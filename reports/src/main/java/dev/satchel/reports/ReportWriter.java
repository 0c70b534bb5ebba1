package dev.satchel.reports;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Writes report files into a folder, each through a temporary file and an atomic rename. */
public final class ReportWriter {
    private ReportWriter() {}

    /**
     * Writes the given formats into {@code dir} (created if missing) under their fixed names.
     *
     * @return the files written, in {@link ReportFormat} order
     */
    public static List<Path> write(Report report, Path dir, Set<ReportFormat> formats) throws IOException {
        Files.createDirectories(dir);
        List<Path> out = new ArrayList<>();
        for (ReportFormat f : ReportFormat.values()) {
            if (!formats.contains(f)) {
                continue;
            }
            Path target = dir.resolve(f.fileName());
            Path tmp = dir.resolve("." + f.fileName() + ".tmp");
            Files.write(tmp, report.render(f).getBytes(StandardCharsets.UTF_8));
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            out.add(target);
        }
        return out;
    }
}
