import ConfigLayout

/// Linux 6.1's virtio_balloon as Debian's 6.1.192 builds it (drivers/virtio/virtio_balloon.c
/// `virtballoon_validate`, `virtballoon_probe`, `virtballoon_changed`, `update_balloon_size_func`,
/// `towards_target`, `fill_balloon`, `leak_balloon`, `virtio_balloon_cmd_id_received`): every field
/// little-endian, even on legacy; poison_val written before DRIVER_OK under PAGE_POISON; num_pages read
/// after DRIVER_OK and on every config change, the balloon moved 256 pages a round with `actual`
/// written after each; free_page_hint_cmd_id read once per change under FREE_PAGE_HINT. What a user
/// sees is the pages it holds (/proc/vmstat's balloon_inflate - balloon_deflate, which is `actual`)
/// and MemTotal falling by them unless DEFLATE_ON_OOM.
///
/// The model assumes the guest has the pages to give: a real guest short of them says "Out of puff!"
/// and tries again every 200 ms.
struct LinuxBalloonDriver: DriverModel {
    /// `want_init_on_free()`: only with init_on_free=1 on the kernel command line, as Debian's cloud kernel
    /// has neither CONFIG_INIT_ON_FREE_DEFAULT_ON nor CONFIG_PAGE_POISONING.
    let initOnFree: Bool

    static let kinds = [
        DriverKind(name: "linux-6.1", layout: "balloon",
                   summary: "Linux 6.1's virtio_balloon: clears PAGE_POISON, reads num_pages after DRIVER_OK, 256 pages a round",
                   follows: "drivers/virtio/virtio_balloon.c `virtballoon_validate`, `virtballoon_probe`, "
                       + "`update_balloon_size_func`, as Debian's 6.1.192 builds it",
                   fields: fields, isReference: true, make: { LinuxBalloonDriver(initOnFree: false) }),
        DriverKind(name: "linux-6.1-init-on-free", layout: "balloon",
                   summary: "the same booted with init_on_free=1: keeps PAGE_POISON and writes poison_val 0 before DRIVER_OK",
                   follows: "drivers/virtio/virtio_balloon.c with `want_init_on_free()` true (mm/page_alloc.c init_on_free=)",
                   fields: fields, make: { LinuxBalloonDriver(initOnFree: true) }),
    ]

    static let fields = ["num_pages", "actual", "free_page_hint_cmd_id", "poison_val"]
    /// virtio_balloon's `features[]`; there is no legacy table.
    static let featureTable = ["MUST_TELL_HOST", "STATS_VQ", "DEFLATE_ON_OOM", "FREE_PAGE_HINT", "PAGE_POISON", "PAGE_REPORTING"]
    /// VIRTIO_BALLOON_ARRAY_PFNS_MAX: `fill_balloon` and `leak_balloon` move at most this many a round.
    static let pagesPerRound: UInt64 = 256
    /// Rounds the model runs before it stops following a target (4 GiB of 4 KiB pages).
    static let roundLimit = 4096
    /// PAGE_POISON (include/linux/poison.h), memset into poison_val when init_on_free is off.
    static let pagePoison: UInt64 = 0xaaaa_aaaa

    func probe(_ session: DriverSession) -> DriverResult {
        let core = LinuxVirtioCore.negotiate(session, table: Self.featureTable, validate: validate)
        if let refusal = core.refusal {
            return LinuxVirtioCore.failed(session, driver: "virtio_balloon", refusal, unsupported: core.unsupported)
        }
        session.stage = "virtballoon_probe"
        if session.has("STATS_VQ") {
            // Spec 3.1.1: "The driver MUST NOT send any buffer available notifications to the device before
            // setting DRIVER_OK."
            session.note("init_vqs primes the stats queue and kicks it before DRIVER_OK (init_vqs: virtqueue_kick(vb->stats_vq))")
        }
        if session.has("PAGE_POISON") {
            // "Start with poison val of 0 representing general init"; PAGE_POISON's byte unless init_on_free.
            session.write("poison_val", initOnFree ? 0 : Self.pagePoison)
        }
        session.transport.addStatus(.driverOK)
        // "if (towards_target(vb)) virtballoon_changed(vdev);": the work then reads it again.
        let held = session.readLittleEndian("num_pages") == 0 ? 0 : changed(session, held: 0)
        var view = DriverView()
        view.set("actual", held, from: ["num_pages"])
        return DriverResult(view: view, failure: nil, unsupported: core.unsupported)
    }

    /// `virtballoon_validate`: touches no config, only clears bits; the core then writes them again.
    private func validate(_ session: DriverSession) {
        if !initOnFree {
            session.drop("PAGE_POISON", because: "neither want_init_on_free() nor page_poisoning_enabled_static()")
        } else if !session.has("PAGE_POISON") {
            session.drop("PAGE_REPORTING", because: "free page reporting needs PAGE_POISON when pages are initialized on free")
        }
        // 6.1.188's "virtio_balloon: disable indirect descriptors" (not in v6.1.0).
        session.drop("INDIRECT_DESC", because: "virtballoon_validate clears it (6.1.188 and later)")
        session.drop("ACCESS_PLATFORM", because: "virtballoon_validate clears it")
    }

    /// `virtballoon_changed`: the size work, and under FREE_PAGE_HINT the hint work's one read of the
    /// command id (the two run on different workqueues; the model puts the size work first).
    func configChanged(_ session: DriverSession, view: DriverView) -> DriverView {
        guard case .number(let before)? = view["actual"] else { return view }
        session.stage = "config changed"
        let held = changed(session, held: before)
        var view = view
        view.set("actual", held, from: ["num_pages"])
        // fill_balloon and leak_balloon adjust the managed pages, so MemTotal, only without DEFLATE_ON_OOM.
        let moved = Int64(bitPattern: held &- before)
        view.set("memtotal_drop_kb", .text(String(session.has("DEFLATE_ON_OOM") ? 0 : moved * 4)), from: ["num_pages"])
        return view
    }

    /// The size work's rounds from `start` pages held, then the hint work; returns the pages held.
    private func changed(_ session: DriverSession, held start: UInt64) -> UInt64 {
        var held = start
        session.stage = "update_balloon_size_func"
        for round in 1...Self.roundLimit {
            // towards_target: "target = ALIGN(num_pages, VIRTIO_BALLOON_PAGES_PER_PAGE)", 1 on 4 KiB pages.
            let wanted = session.readLittleEndian("num_pages")
            guard wanted != held else { break }
            held = wanted > held ? held + min(wanted - held, Self.pagesPerRound) : held - min(held - wanted, Self.pagesPerRound)
            // update_balloon_size: "u32 actual = vb->num_pages", written little-endian.
            session.write("actual", held)
            // "if (diff) queue_work(...)": the next round reads num_pages again, unless it is done.
            if held == wanted { break }
            if round == Self.roundLimit {
                session.note("the model stops after \(Self.roundLimit) rounds at \(held) pages; the driver goes on towards \(wanted)")
            }
        }
        if session.has("FREE_PAGE_HINT") {
            session.stage = "report_free_page_func"
            _ = session.readLittleEndian("free_page_hint_cmd_id")
        }
        return held
    }
}
