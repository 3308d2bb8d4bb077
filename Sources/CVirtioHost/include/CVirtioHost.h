#ifndef CVIRTIOHOST_H
#define CVIRTIOHOST_H

#include <stddef.h>
#include <sys/types.h>

/// Starts `path` with `argv` and `envp` in a process group of its own, with `stdin_fd`,
/// `stdout_fd` and `stderr_fd` as its standard streams (-1 for /dev/null) and `pass_fds`
/// duplicated to descriptors 3, 4, ... in order. Every other descriptor is closed in the child, its
/// signal mask is cleared and its signal dispositions are reset. Returns 0 and the child's pid
/// (which is also its process group id), or an errno value.
int cvh_spawn(const char *path, char *const argv[], char *const envp[], int stdin_fd, int stdout_fd,
              int stderr_fd, const int *pass_fds, int pass_count, pid_t *pid_out);

/// Process groups the signal handlers and the exit handler kill: every group a live child heads.
/// Returns 0, or -1 when the table is full.
int cvh_track_group(pid_t group);
void cvh_untrack_group(pid_t group);

/// Sends SIGKILL to every tracked group: what the handlers below do before the process dies.
void cvh_kill_tracked_groups(void);

/// On SIGINT, SIGTERM, SIGHUP and SIGQUIT, and at exit(), kills every tracked group, then lets the
/// signal take its default course. Idempotent.
void cvh_install_cleanup_handlers(void);

/// Sends `len` bytes and `fd_count` descriptors (SCM_RIGHTS) in one message, never blocking.
/// Returns the bytes sent, or -1 with errno set (EAGAIN when the socket is full).
ssize_t cvh_send_with_fds(int socket, const void *buf, size_t len, const int *fds, int fd_count);

/// Receives up to `len` bytes and up to `max_fds` descriptors in one message. `fd_count_out` gets the
/// number of descriptors received; `flags_out` gets the message flags (MSG_CTRUNC when descriptors
/// were dropped). Descriptors arrive close-on-exec. Never blocks. Returns the bytes received (0 at
/// end of stream), or -1 with errno set (EAGAIN when nothing is waiting).
ssize_t cvh_receive_with_fds(int socket, void *buf, size_t len, int *fds, int max_fds, int *fd_count_out,
                             int *flags_out);

/// pipe2(fds, O_CLOEXEC): 0, or -1 with errno set.
int cvh_pipe_cloexec(int fds[2]);

/// socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC): 0, or -1 with errno set.
int cvh_socketpair_cloexec(int fds[2]);

/// pidfd_open(pid, 0): a descriptor that polls readable when the process ends; -1 with errno set
/// (ENOSYS before Linux 5.3).
int cvh_pidfd_open(pid_t pid);

/// A Unix stream socket listening at `path` (an existing socket file there is replaced),
/// close-on-exec and non-blocking; -1 with errno set.
int cvh_unix_listen(const char *path, int backlog);

/// accept4 with close-on-exec: the connected socket, or -1 with errno set.
int cvh_unix_accept(int listener);

/// A Unix stream socket connected to `path`, close-on-exec; -1 with errno set.
int cvh_unix_connect(const char *path);

/// An anonymous shared-memory file of `size` bytes (memfd_create), close-on-exec; -1 with errno set.
int cvh_memfd(const char *name, size_t size);

/// Binds the calling thread to CPU `cpu` (sched_setaffinity); 0, or -1 with errno set.
int cvh_pin_thread(int cpu);

#endif
