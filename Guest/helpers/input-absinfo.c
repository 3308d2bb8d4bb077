/* input-absinfo /dev/input/eventN: each absolute axis the input core holds for an evdev device, one
 * line each, "AXIS MIN MAX FUZZ FLAT RESOLUTION" (EVIOCGBIT(EV_ABS), then EVIOCGABS per axis): what
 * a user reads of an axis, and nowhere in sysfs. Built static by build-image for cfgspace's busybox
 * guest, whose busybox has no such applet. */
#include <fcntl.h>
#include <linux/input.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define LONG_BITS (8 * sizeof(unsigned long))

int main(int argc, char **argv)
{
	unsigned long bits[(ABS_CNT + LONG_BITS - 1) / LONG_BITS] = { 0 };
	struct input_absinfo info;
	int fd, axis;

	if (argc != 2) {
		fprintf(stderr, "usage: input-absinfo /dev/input/eventN\n");
		return 64;
	}
	fd = open(argv[1], O_RDONLY);
	if (fd < 0) {
		perror(argv[1]);
		return 1;
	}
	if (ioctl(fd, EVIOCGBIT(EV_ABS, sizeof(bits)), bits) < 0) {
		perror("EVIOCGBIT");
		return 1;
	}
	for (axis = 0; axis < ABS_CNT; axis++) {
		if (!((bits[axis / LONG_BITS] >> (axis % LONG_BITS)) & 1))
			continue;
		if (ioctl(fd, EVIOCGABS(axis), &info) < 0) {
			perror("EVIOCGABS");
			return 1;
		}
		printf("%d %d %d %d %d %d\n", axis, info.minimum, info.maximum, info.fuzz, info.flat, info.resolution);
	}
	close(fd);
	return 0;
}
