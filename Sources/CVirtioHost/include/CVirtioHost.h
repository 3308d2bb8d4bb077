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

/// Sends SIGKILL to every tracked group: at exit, and when a second signal ends the process at once.
void cvh_kill_tracked_groups(void);

/// Installs, once, what ends this process cleanly. On SIGINT, SIGTERM, SIGHUP and SIGQUIT: every
/// tracked group gets SIGTERM, then SIGKILL after a second; every folder made by cvh_make_folder and
/// not yet removed is removed; then the signal takes its default course. At exit(): the groups are
/// killed and the folders removed. SIGPIPE is ignored. The four signals are unblocked in the
/// calling thread, in case this process was started with them blocked. Idempotent.
void cvh_install_cleanup_handlers(void);

/// Sends SIGTERM to every tracked group, waits up to `grace_ms` for their leaders to end, then
/// sends SIGKILL to every group.
void cvh_end_tracked_groups(int grace_ms);

/// For a process that stops cleanly by itself: the first SIGINT, SIGTERM or SIGHUP writes a byte to
/// the pipe whose read end this returns (non-blocking; owned here, never to be closed), instead of
/// ending the process; a second one ends it as cvh_install_cleanup_handlers says.
int cvh_stop_on_signal(void);

/// The signal that asked the process to stop, or 0.
int cvh_stop_signal(void);

/// The signal that is ending the process (its children being ended, its folders removed), or 0.
int cvh_ending_signal(void);

/// mkdtemp(template_path) (which ends in XXXXXX and is rewritten in place), registered to be removed
/// with everything in it when a signal ends the process, or at exit. 0, or -1 with errno set (EINTR
/// when the process is already ending, EMFILE when too many folders are registered).
int cvh_make_folder(char *template_path);

/// Removes a folder made by cvh_make_folder, with everything in it, and forgets it.
void cvh_remove_folder(const char *path);

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

/// A Unix stream socket listening at `path`, close-on-exec and non-blocking, its file given `mode`
/// (-1 leaves the umask's) before anyone can connect; -1 with errno set. A socket file nobody listens
/// on is replaced; one a listener answers at gives EADDRINUSE, anything else at the path EEXIST, and
/// a path longer than sun_path holds ENAMETOOLONG.
int cvh_unix_listen(const char *path, int backlog, int mode);

/// Whether something listens at the Unix socket `path`: 1, 0 (nothing: no file, or no listener), or
/// -1 with errno set (ENAMETOOLONG, EACCES, ...).
int cvh_unix_listening(const char *path);

/// accept4 with close-on-exec: the connected socket, or -1 with errno set.
int cvh_unix_accept(int listener);

/// A Unix stream socket connected to `path`, close-on-exec; -1 with errno set.
int cvh_unix_connect(const char *path);

/// An anonymous shared-memory file of `size` bytes (memfd_create), close-on-exec; -1 with errno set.
int cvh_memfd(const char *name, size_t size);

/// Binds the calling thread to CPU `cpu` (sched_setaffinity); 0, or -1 with errno set.
int cvh_pin_thread(int cpu);

#endif
