package io.ringswitch.overlay.security.record;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the CPU offers for the record ciphers, from Linux's {@code /proc/cpuinfo}. */
final class CpuFeatures {
    private CpuFeatures() {
    }

    /**
     * Whether the CPU has AES instructions (x86 {@code aes}, arm64 {@code aes}); true where this
     * cannot be read, since the JDK's AES-GCM is then still the vetted default.
     */
    static boolean hasAes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("flags") || line.startsWith("Features")) {
                    return (" " + line.substring(line.indexOf(':') + 1) + " ").contains(" aes ");
                }
            }
        } catch (IOException | RuntimeException e) {
            return true;
        }
        return true;
    }
}
