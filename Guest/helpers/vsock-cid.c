/* vsock-cid [/dev/vsock]: the guest's own context ID as a program asks for it,
 * IOCTL_VM_SOCKETS_GET_LOCAL_CID on /dev/vsock (net/vmw_vsock/af_vsock.c vsock_dev_do_ioctl), printed
 * in decimal: nowhere in sysfs or /proc. Built static by build-image for cfgspace's busybox guest,
 * whose busybox cannot make the ioctl. */
#include <fcntl.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/vm_sockets.h>

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "/dev/vsock";
	unsigned int cid = 0;
	int fd;

	if (argc > 2) {
		fprintf(stderr, "usage: vsock-cid [/dev/vsock]\n");
		return 64;
	}
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		perror(path);
		return 1;
	}
	if (ioctl(fd, IOCTL_VM_SOCKETS_GET_LOCAL_CID, &cid) < 0) {
		perror("IOCTL_VM_SOCKETS_GET_LOCAL_CID");
		return 1;
	}
	printf("%u\n", cid);
	close(fd);
	return 0;
}
