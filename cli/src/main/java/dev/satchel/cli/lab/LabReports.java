package dev.satchel.cli.lab;

import dev.satchel.devices.DeviceProfile;
import dev.satchel.devices.ProfileCatalogue;
import dev.satchel.devices.check.CheckReport;
import dev.satchel.model.ModelReader;
import dev.satchel.model.OnnxModel;
import dev.satchel.reports.BundleInfo;
import dev.satchel.reports.Report;
import dev.satchel.reports.ReportException;
import dev.satchel.reports.ReportFormat;
import dev.satchel.reports.ReportInputs;
import dev.satchel.reports.ReportWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A lab run in the build report format (docs/report-schema.md, docs/device-lab.md "Reports"): one
 * {@code satchel.report/v1} per model, with the check the lab compared against and the model's lab
 * results as the report's {@code lab} section. Stateless.
 */
public final class LabReports {
    private LabReports() {}

    /**
     * The report of one model of a lab run.
     *
     * @param lab the whole run; only {@code model}'s results go into the report
     * @param tool tool name and version, e.g. {@code satchel 0.1.0}
     * @throws IOException if the model cannot be read
     * @throws IllegalArgumentException if the run has no result for the model or names an unknown profile
     */
    public static Report report(LabReport lab, DeviceLab.Model model, Instant createdAt, String tool)
            throws IOException {
        List<LabResult> mine = lab.results().stream().filter(r -> r.model().equals(model.name())).toList();
        if (mine.isEmpty()) {
            throw new IllegalArgumentException("no lab result for model " + model.name());
        }
        ProfileCatalogue catalogue = ProfileCatalogue.builtIn();
        List<DeviceProfile> devices = new ArrayList<>();
        for (LabResult r : mine) {
            DeviceProfile d = catalogue.find(r.deviceId())
                    .orElseThrow(() -> new IllegalArgumentException("unknown profile " + r.deviceId()));
            if (!devices.contains(d)) {
                devices.add(d);
            }
        }
        OnnxModel onnx = ModelReader.read(model.file());
        CheckReport check = DeviceLab.check(onnx, model, devices);
        String sha = sha256(model.file());
        String labJson = new LabReport(lab.image(), lab.host(), lab.cgroup(), mine).toJson(createdAt);
        ReportInputs in = new ReportInputs(model.source(), sha, onnx.facts(), Files.size(model.file()), check,
                Optional.empty(), List.of(), Optional.of(new BundleInfo(model.name(), "1", model.name() + "-1.bundle",
                        Optional.of(sha))), tool, Optional.of(createdAt)).withLab(labJson);
        try {
            return Report.build(in);
        } catch (ReportException ex) {
            throw new IllegalStateException("the lab's own JSON was refused by the report builder: " + ex.getMessage(), ex);
        }
    }

    /**
     * Writes every format of every model's report: into {@code dir} itself for a one-model run,
     * else into {@code dir/<bundle name>/}.
     *
     * @return the report.json files written, by model
     */
    public static Map<DeviceLab.Model, Path> write(LabReport lab, List<DeviceLab.Model> models, Instant createdAt,
            String tool, Path dir) throws IOException {
        Map<DeviceLab.Model, Path> out = new LinkedHashMap<>();
        for (DeviceLab.Model m : models) {
            Path target = models.size() == 1 ? dir : dir.resolve(m.name());
            ReportWriter.write(report(lab, m, createdAt, tool), target, EnumSet.allOf(ReportFormat.class));
            out.put(m, target.resolve(ReportFormat.JSON.fileName()));
        }
        return out;
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
