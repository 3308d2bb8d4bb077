#define _GNU_SOURCE
#include "CVirtioHost.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

// What ends this process cleanly: the child process groups it tracks, the temporary folders it
// registers, and the signals that end it.

enum { tracked_capacity = 256 };
static _Atomic pid_t tracked[tracked_capacity];

int cvh_track_group(pid_t group) {
    for (int i = 0; i < tracked_capacity; i++) {
        pid_t expected = 0;
        if (atomic_compare_exchange_strong(&tracked[i], &expected, group)) return 0;
    }
    return -1;
}

void cvh_untrack_group(pid_t group) {
    for (int i = 0; i < tracked_capacity; i++) {
        pid_t expected = group;
        if (atomic_compare_exchange_strong(&tracked[i], &expected, 0)) return;
    }
}

// Async-signal-safe: atomic loads and kill(2) only.
void cvh_kill_tracked_groups(void) {
    for (int i = 0; i < tracked_capacity; i++) {
        pid_t group = atomic_load(&tracked[i]);
        if (group > 0) kill(-group, SIGKILL);
    }
}

// Signals. The handler does only what is async-signal-safe: it notes the signal and writes a byte
// to a pipe. A watcher thread then ends the tracked groups (SIGTERM, a grace period, SIGKILL), removes
// the registered temporary folders and lets the signal take its default course. A process that asked
// to stop by itself (serve, cvh_stop_on_signal) is told on a second pipe instead, the first time.
static int signal_pipe[2] = {-1, -1};
static int stop_pipe[2] = {-1, -1};
static _Atomic int stop_mode;
static _Atomic int stop_signal;
static _Atomic int ending_signal;
static _Atomic int watcher_ready;

static void die_now(int signal_number) {
    cvh_kill_tracked_groups();
    struct sigaction fallback;
    memset(&fallback, 0, sizeof fallback);
    fallback.sa_handler = SIG_DFL;
    sigaction(signal_number, &fallback, NULL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, signal_number);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
    raise(signal_number);
    _exit(128 + signal_number);
}

static void on_signal(int signal_number) {
    int saved = errno;
    char byte = (char)signal_number;
    int expected = 0;
    if (signal_number != SIGQUIT && atomic_load(&stop_mode)
        && atomic_compare_exchange_strong(&stop_signal, &expected, signal_number)) {
        if (write(stop_pipe[1], &byte, 1) == 1) {
            errno = saved;
            return;
        }
    }
    expected = 0;
    // A second signal while the watcher is at work, or no watcher: end at once.
    if (!atomic_load(&watcher_ready) || !atomic_compare_exchange_strong(&ending_signal, &expected, signal_number)
        || write(signal_pipe[1], &byte, 1) != 1) {
        die_now(signal_number);
    }
    errno = saved;
}

// Temporary folders to remove when a signal ends the process, or at exit.
enum { folder_capacity = 128, folder_path_size = 1024 };
static char folders[folder_capacity][folder_path_size];
static pthread_mutex_t folders_lock = PTHREAD_MUTEX_INITIALIZER;

static int remove_entry(const char *path, const struct stat *info, int kind, struct FTW *walk) {
    (void)info; (void)kind; (void)walk;
    remove(path);
    return 0;
}

static void remove_tree(const char *path) { nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS); }

static void remove_registered_folders(void) {
    pthread_mutex_lock(&folders_lock);
    for (int i = 0; i < folder_capacity; i++) {
        if (folders[i][0]) {
            remove_tree(folders[i]);
            folders[i][0] = 0;
        }
    }
    pthread_mutex_unlock(&folders_lock);
}

int cvh_make_folder(char *template_path) {
    if (strlen(template_path) >= folder_path_size) {
        errno = ENAMETOOLONG;
        return -1;
    }
    pthread_mutex_lock(&folders_lock);
    int slot = -1;
    for (int i = 0; i < folder_capacity && slot < 0; i++) {
        if (!folders[i][0]) slot = i;
    }
    int result = -1;
    if (atomic_load(&ending_signal)) {
        // The process is ending: a folder made now would outlive it.
        errno = EINTR;
    } else if (slot < 0) {
        errno = EMFILE;
    } else if (mkdtemp(template_path)) {
        strcpy(folders[slot], template_path);
        result = 0;
    }
    pthread_mutex_unlock(&folders_lock);
    return result;
}

void cvh_remove_folder(const char *path) {
    pthread_mutex_lock(&folders_lock);
    remove_tree(path);
    for (int i = 0; i < folder_capacity; i++) {
        if (strcmp(folders[i], path) == 0) folders[i][0] = 0;
    }
    pthread_mutex_unlock(&folders_lock);
}

void cvh_end_tracked_groups(int grace_ms) {
    pid_t groups[tracked_capacity];
    int count = 0;
    for (int i = 0; i < tracked_capacity; i++) {
        pid_t group = atomic_load(&tracked[i]);
        if (group > 0) {
            groups[count++] = group;
            kill(-group, SIGTERM);
        }
    }
    // Wait for each leader to end without reaping it: its owner may still reap it.
    for (int waited = 0; waited < grace_ms; waited += 10) {
        int running = 0;
        for (int i = 0; i < count; i++) {
            siginfo_t info;
            memset(&info, 0, sizeof info);
            if (waitid(P_PID, (id_t)groups[i], &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == 0) running++;
        }
        if (running == 0) break;
        struct timespec pause = {0, 10 * 1000 * 1000};
        nanosleep(&pause, NULL);
    }
    for (int i = 0; i < count; i++) kill(-groups[i], SIGKILL);
}

static void *watch_signals(void *unused) {
    (void)unused;
    for (;;) {
        char byte;
        ssize_t got = read(signal_pipe[0], &byte, 1);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) return NULL;
        int signal_number = atomic_load(&ending_signal);
        cvh_end_tracked_groups(1000);
        remove_registered_folders();
        die_now(signal_number ? signal_number : SIGTERM);
    }
}

static void at_exit(void) {
    remove_registered_folders();
    // A thread that exits while a signal is ending the process (its wait for a child cut short by
    // the watcher) must not turn the signal into an exit status.
    int signal_number = atomic_load(&ending_signal);
    if (signal_number) die_now(signal_number);
    cvh_kill_tracked_groups();
}

static atomic_flag installed = ATOMIC_FLAG_INIT;

void cvh_install_cleanup_handlers(void) {
    if (atomic_flag_test_and_set(&installed)) return;
    // A peer that closes its end must give an error on write, not kill the process.
    signal(SIGPIPE, SIG_IGN);
    atexit(at_exit);
    int signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
    size_t count = sizeof signals / sizeof signals[0];
    if (pipe2(signal_pipe, O_CLOEXEC) == 0 && pipe2(stop_pipe, O_CLOEXEC | O_NONBLOCK) == 0) {
        fcntl(signal_pipe[1], F_SETFL, O_NONBLOCK);
        // The watcher blocks every signal, so the handler never runs on it.
        sigset_t all, previous;
        sigfillset(&all);
        pthread_sigmask(SIG_SETMASK, &all, &previous);
        pthread_t thread;
        pthread_attr_t attributes;
        pthread_attr_init(&attributes);
        pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
        if (pthread_create(&thread, &attributes, watch_signals, NULL) == 0) atomic_store(&watcher_ready, 1);
        pthread_attr_destroy(&attributes);
        pthread_sigmask(SIG_SETMASK, &previous, NULL);
    }
    sigset_t handled;
    sigemptyset(&handled);
    for (size_t i = 0; i < count; i++) {
        struct sigaction action;
        memset(&action, 0, sizeof action);
        action.sa_handler = on_signal;
        sigemptyset(&action.sa_mask);
        sigaction(signals[i], &action, NULL);
        sigaddset(&handled, signals[i]);
    }
    // A parent may have started this process with them blocked (a thread of its own that blocks
    // every signal, as libdispatch's do): they must reach this thread.
    pthread_sigmask(SIG_UNBLOCK, &handled, NULL);
}

int cvh_stop_on_signal(void) {
    cvh_install_cleanup_handlers();
    atomic_store(&stop_mode, 1);
    return stop_pipe[0];
}

int cvh_stop_signal(void) { return atomic_load(&stop_signal); }

int cvh_ending_signal(void) { return atomic_load(&ending_signal); }
