#define _GNU_SOURCE
#include "CVirtioHost.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/mman.h>
#include <sys/un.h>
#include <sys/syscall.h>
#include <unistd.h>

// posix_spawn (glibc uses clone(CLONE_VM | CLONE_VFORK)) is safe in a multithreaded process, unlike a
// fork whose child runs arbitrary code.
int cvh_spawn(const char *path, char *const argv[], char *const envp[], int stdin_fd, int stdout_fd,
              int stderr_fd, const int *pass_fds, int pass_count, pid_t *pid_out) {
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attributes;
    int error = posix_spawn_file_actions_init(&actions);
    if (error) return error;
    error = posix_spawnattr_init(&attributes);
    if (error) {
        posix_spawn_file_actions_destroy(&actions);
        return error;
    }

    // Passed descriptors first go above every descriptor involved, so a later dup2 cannot clobber
    // a source still to be read.
    int high = 3 + pass_count;
    for (int i = 0; i < pass_count; i++) if (pass_fds[i] >= high) high = pass_fds[i] + 1;
    if (stdin_fd >= high) high = stdin_fd + 1;
    if (stdout_fd >= high) high = stdout_fd + 1;
    if (stderr_fd >= high) high = stderr_fd + 1;
    for (int i = 0; i < pass_count && !error; i++) {
        error = posix_spawn_file_actions_adddup2(&actions, pass_fds[i], high + i);
    }
    int streams[3] = {stdin_fd, stdout_fd, stderr_fd};
    for (int target = 0; target < 3 && !error; target++) {
        if (streams[target] >= 0) {
            error = posix_spawn_file_actions_adddup2(&actions, streams[target], target);
        } else {
            error = posix_spawn_file_actions_addopen(&actions, target, "/dev/null", target == 0 ? O_RDONLY : O_WRONLY, 0);
        }
    }
    for (int i = 0; i < pass_count && !error; i++) {
        error = posix_spawn_file_actions_adddup2(&actions, high + i, 3 + i);
    }
    if (!error) error = posix_spawn_file_actions_addclosefrom_np(&actions, 3 + pass_count);

    sigset_t empty, all;
    sigemptyset(&empty);
    sigfillset(&all);
    if (!error) error = posix_spawnattr_setsigmask(&attributes, &empty);
    if (!error) error = posix_spawnattr_setsigdefault(&attributes, &all);
    if (!error) error = posix_spawnattr_setpgroup(&attributes, 0);
    if (!error) {
        error = posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK
                                                      | POSIX_SPAWN_SETSIGDEF);
    }
    if (!error) error = posix_spawn(pid_out, path, &actions, &attributes, argv, envp);

    posix_spawnattr_destroy(&attributes);
    posix_spawn_file_actions_destroy(&actions);
    return error;
}

ssize_t cvh_send_with_fds(int socket, const void *buf, size_t len, const int *fds, int fd_count) {
    struct iovec vector = {.iov_base = (void *)buf, .iov_len = len};
    struct msghdr message;
    memset(&message, 0, sizeof message);
    message.msg_iov = &vector;
    message.msg_iovlen = 1;
    char control[CMSG_SPACE(sizeof(int) * 253)];
    if (fd_count > 0) {
        if (fd_count > 253) {
            errno = EINVAL;
            return -1;
        }
        memset(control, 0, sizeof control);
        message.msg_control = control;
        message.msg_controllen = CMSG_SPACE(sizeof(int) * fd_count);
        struct cmsghdr *header = CMSG_FIRSTHDR(&message);
        header->cmsg_level = SOL_SOCKET;
        header->cmsg_type = SCM_RIGHTS;
        header->cmsg_len = CMSG_LEN(sizeof(int) * fd_count);
        memcpy(CMSG_DATA(header), fds, sizeof(int) * fd_count);
    }
    ssize_t sent;
    do {
        sent = sendmsg(socket, &message, MSG_NOSIGNAL | MSG_DONTWAIT);
    } while (sent < 0 && errno == EINTR);
    return sent;
}

ssize_t cvh_receive_with_fds(int socket, void *buf, size_t len, int *fds, int max_fds, int *fd_count_out,
                             int *flags_out) {
    struct iovec vector = {.iov_base = buf, .iov_len = len};
    struct msghdr message;
    memset(&message, 0, sizeof message);
    message.msg_iov = &vector;
    message.msg_iovlen = 1;
    char control[CMSG_SPACE(sizeof(int) * 253)];
    message.msg_control = control;
    message.msg_controllen = sizeof control;
    *fd_count_out = 0;
    *flags_out = 0;
    ssize_t received;
    do {
        received = recvmsg(socket, &message, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
    } while (received < 0 && errno == EINTR);
    if (received < 0) return received;
    *flags_out = message.msg_flags;
    for (struct cmsghdr *header = CMSG_FIRSTHDR(&message); header; header = CMSG_NXTHDR(&message, header)) {
        if (header->cmsg_level != SOL_SOCKET || header->cmsg_type != SCM_RIGHTS) continue;
        int count = (int)((header->cmsg_len - CMSG_LEN(0)) / sizeof(int));
        int *incoming = (int *)CMSG_DATA(header);
        for (int i = 0; i < count; i++) {
            // Descriptors beyond what the caller can hold are closed, never leaked.
            if (*fd_count_out < max_fds) fds[(*fd_count_out)++] = incoming[i];
            else {
                close(incoming[i]);
                *flags_out |= MSG_CTRUNC;
            }
        }
    }
    return received;
}

int cvh_pipe_cloexec(int fds[2]) { return pipe2(fds, O_CLOEXEC); }

int cvh_socketpair_cloexec(int fds[2]) { return socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds); }

int cvh_pidfd_open(pid_t pid) {
#ifdef SYS_pidfd_open
    return (int)syscall(SYS_pidfd_open, pid, 0);
#else
    errno = ENOSYS;
    return -1;
#endif
}

static int fill_address(struct sockaddr_un *address, const char *path) {
    memset(address, 0, sizeof *address);
    address->sun_family = AF_UNIX;
    if (strlen(path) >= sizeof address->sun_path) {
        errno = ENAMETOOLONG;
        return -1;
    }
    strcpy(address->sun_path, path);
    return 0;
}

// Whether something listens at `path`: a connect that succeeds, or finds the backlog full, reaches a
// listener; ECONNREFUSED means a socket file nobody listens on.
static int probe_listener(const struct sockaddr_un *address) {
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) return -1;
    int result;
    do {
        result = connect(fd, (const struct sockaddr *)address, sizeof *address);
    } while (result < 0 && errno == EINTR);
    int saved = errno;
    close(fd);
    if (result == 0 || saved == EAGAIN || saved == EINPROGRESS) return 1;
    if (saved == ECONNREFUSED || saved == ENOENT) return 0;
    errno = saved;
    return -1;
}

int cvh_unix_listen(const char *path, int backlog, int mode) {
    struct sockaddr_un address;
    if (fill_address(&address, path) < 0) return -1;
    // A stale socket from an earlier run is replaced; a live one is someone else's (EADDRINUSE), and
    // anything else at the path is the user's (EEXIST): neither is ever removed.
    struct stat existing;
    if (lstat(path, &existing) == 0) {
        if (!S_ISSOCK(existing.st_mode)) {
            errno = EEXIST;
            return -1;
        }
        int live = probe_listener(&address);
        if (live != 0) {
            if (live > 0) errno = EADDRINUSE;
            return -1;
        }
        unlink(path);
    }
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) return -1;
    // bind() makes the file by the umask; its mode is set before listen(), and until then a
    // connect is refused, so no one connects under a wider mode.
    if (bind(fd, (struct sockaddr *)&address, sizeof address) < 0) {
        int saved = errno;
        close(fd);
        errno = saved;
        return -1;
    }
    if ((mode >= 0 && chmod(path, (mode_t)mode) < 0) || listen(fd, backlog) < 0) {
        int saved = errno;
        close(fd);
        unlink(path);
        errno = saved;
        return -1;
    }
    return fd;
}

int cvh_unix_listening(const char *path) {
    struct sockaddr_un address;
    if (fill_address(&address, path) < 0) return -1;
    return probe_listener(&address);
}

int cvh_unix_accept(int listener) {
    int fd;
    do {
        fd = accept4(listener, NULL, NULL, SOCK_CLOEXEC);
    } while (fd < 0 && errno == EINTR);
    return fd;
}

int cvh_unix_connect(const char *path) {
    struct sockaddr_un address;
    if (fill_address(&address, path) < 0) return -1;
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    int result;
    do {
        result = connect(fd, (struct sockaddr *)&address, sizeof address);
    } while (result < 0 && errno == EINTR);
    if (result < 0) {
        int saved = errno;
        close(fd);
        errno = saved;
        return -1;
    }
    return fd;
}

int cvh_memfd(const char *name, size_t size) {
    int fd = memfd_create(name, MFD_CLOEXEC);
    if (fd < 0) return -1;
    if (ftruncate(fd, (off_t)size) < 0) {
        int saved = errno;
        close(fd);
        errno = saved;
        return -1;
    }
    return fd;
}

int cvh_pin_thread(int cpu) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    return sched_setaffinity(0, sizeof set, &set);
}
