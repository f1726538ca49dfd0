import Foundation

// SwiftPM names an executable's entry point after its module, so libFuzzer's own `main` cannot be used:
// this one hands the command line and the target to libFuzzer's driver instead.
var arguments = CommandLine.argc
var values = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&arguments, &values) { bytes, count in fuzzJob(bytes, count) })
