use std::fmt;
use std::str::FromStr;

/// Octets in a MAC address.
pub const MAC_LEN: u8 = 6;

/// A MAC address, kept as its octets so it can sit in a config struct as they are.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[repr(transparent)]
pub struct Mac {
    octets: [u8; MAC_LEN as usize],
}

impl fmt::Display for Mac {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let o = &self.octets;
        write!(f, "{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}", o[0], o[1], o[2], o[3], o[4], o[5])
    }
}

impl FromStr for Mac {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let mut octets = [0u8; MAC_LEN as usize];
        for (index, part) in text.split(':').enumerate() {
            if let Some(slot) = octets.get_mut(index)
                && let Ok(value) = u8::from_str_radix(part, 16)
            {
                *slot = value;
            } else {
                return Err(format!("bad octet {part}"));
            }
        }
        Ok(Mac { octets })
    }
}
