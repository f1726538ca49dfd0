#ifndef MAILROOM_SYSTEM_SHIM_H
#define MAILROOM_SYSTEM_SHIM_H

/// The system calls Swift cannot call because they are variadic (prctl), each behind a wrapper that
/// fixes its parameters. Nothing here links a library; libcurl's wrappers live in CCurlShim.

/// prctl(PR_SET_DUMPABLE, value). 0 forbids core dumps and ptrace attach by other processes of the
/// same user, and makes /proc/PID's sensitive files root-owned. Returns 0 on success, -1 with errno set.
int mr_prctl_set_dumpable(int value);

#endif
