import CBLAS
import Foundation

/// What OpenBLAS chose on this machine, and whether it chose badly.
///
/// OpenBLAS picks its kernels from the CPU model at load time. On virtual machines that hide
/// the model (lscpu: "Intel(R) Xeon(R) Processor"), version 0.3.21 falls back to its generic
/// "Prescott" kernels even when the CPU has AVX-512, and dense GEMM runs about 3× slower.
/// `OPENBLAS_CORETYPE` (read when the library loads) overrides the choice.
public enum BLASInfo {
    /// OpenBLAS's kernel family, e.g. "Prescott", "Haswell", "SkylakeX".
    public static var coreName: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }

    /// True when the CPU reports the AVX-512 subsets OpenBLAS's SkylakeX kernels use.
    public static var cpuHasAVX512: Bool {
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let flags = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return false }
        let set = Set(flags.split(separator: " ").map(String.init))
        return ["avx512f", "avx512bw", "avx512dq", "avx512vl", "avx512cd"].allSatisfy(set.contains)
    }

    /// A hint when OpenBLAS runs generic kernels on a CPU that has AVX-512, else nil.
    public static var slowKernelHint: String? {
        guard ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] == nil,
              coreName.lowercased() == "prescott", cpuHasAVX512 else { return nil }
        return "OpenBLAS did not recognise this CPU and runs its generic Prescott kernels although the CPU has AVX-512; "
            + "export OPENBLAS_CORETYPE=SkylakeX for about 2–3× faster dense k-means and LSA (results can differ in the last bits)"
    }
}
