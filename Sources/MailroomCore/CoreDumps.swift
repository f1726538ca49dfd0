import CSystemShim
import Foundation

/// Keeps a long-running process's memory (which holds API keys) out of core files and away from
/// other processes of the same user.
public enum CoreDumps {
    /// `prctl(PR_SET_DUMPABLE, 0)`: no core dump, no `ptrace` attach without CAP_SYS_PTRACE, and
    /// `/proc/PID/environ`, `mem` and the like become root-owned. Returns the errno text on failure.
    public static func forbid() -> String? {
        mr_prctl_set_dumpable(0) == 0 ? nil : String(cString: strerror(errno))
    }
}
