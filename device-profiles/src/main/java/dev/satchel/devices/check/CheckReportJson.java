package dev.satchel.devices.check;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The JSON form of a {@link CheckReport} ({@code schema: satchel.check/v1}, documented in
 * docs/checker.md). Fixed key order and rounding, so the same inputs give the same bytes.
 */
public final class CheckReportJson {
    public static final String SCHEMA = "satchel.check/v1";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private CheckReportJson() {}

    public static String toJson(CheckReport r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("schema", SCHEMA);
        ObjectNode m = o.putObject("model");
        m.put("file", r.model());
        m.put("bytes", r.modelBytes());
        m.put("irVersion", r.irVersion());
        ObjectNode opsets = m.putObject("opsets");
        new java.util.TreeMap<>(r.opsets()).forEach((k, v) -> opsets.put(k.isEmpty() ? "ai.onnx" : k, v));
        m.put("nodes", r.nodes());
        m.put("macs", r.totalMacs());
        ObjectNode dims = o.putObject("dims");
        r.dims().forEach(dims::put);
        o.put("passed", r.passes(false));
        o.put("passedStrict", r.passes(true));
        ArrayNode devices = o.putArray("devices");
        for (DeviceReport d : r.devices()) {
            ObjectNode dn = devices.addObject();
            dn.put("id", d.deviceId());
            dn.put("name", d.deviceName());
            dn.put("onnxruntime", d.onnxRuntime());
            ObjectNode ddims = dn.putObject("dims");
            d.dims().forEach(ddims::put);
            dn.put("verdict", d.verdict().label());
            ObjectNode mem = dn.putObject("memory");
            MemoryEstimate me = d.memory();
            mem.put("estimate", true);
            mem.put("totalBytes", me.totalBytes());
            mem.put("firstRunBytes", me.firstRunBytes());
            mem.put("weightsBytes", me.weightsBytes());
            mem.put("activationPeakBytes", me.activationPeakBytes());
            mem.put("kvCacheBytes", me.kvCacheBytes());
            mem.put("runtimeOverheadBytes", me.runtimeOverheadBytes());
            me.peakAtNode().ifPresentOrElse(n -> mem.put("peakAtNode", n), () -> mem.putNull("peakAtNode"));
            mem.put("unknownValues", me.unknownValues());
            d.modelBudgetBytes().ifPresentOrElse(b -> mem.put("budgetBytes", b), () -> mem.putNull("budgetBytes"));
            ArrayNode top = mem.putArray("topContributors");
            me.topContributors().forEach(c -> {
                ObjectNode cn = top.addObject();
                cn.put("name", c.name());
                cn.put("kind", c.kind());
                cn.put("bytes", c.bytes());
            });
            dn.put("storageBytes", d.storageBytes());
            d.preferredExecutionProvider().ifPresentOrElse(x -> dn.put("preferredExecutionProvider", x),
                    () -> dn.putNull("preferredExecutionProvider"));
            ArrayNode cov = dn.putArray("accelerators");
            for (EpCoverage c : d.coverage()) {
                ObjectNode cn = cov.addObject();
                cn.put("executionProvider", c.executionProvider());
                cn.put("accelerator", c.accelerator());
                cn.put("nodesTaken", c.nodesTaken());
                cn.put("nodesTotal", c.nodesTotal());
                cn.put("partitions", c.partitions());
                cn.put("macsTaken", c.macsTaken());
                cn.put("macsTotal", c.macsTotal());
                if (c.macShare().isPresent()) {
                    cn.put("macShare", round(c.macShare().getAsDouble(), 4));
                } else {
                    cn.putNull("macShare");
                }
                ArrayNode fb = cn.putArray("fallbacks");
                c.fallbacks().forEach(f -> {
                    ObjectNode fn = fb.addObject();
                    fn.put("node", f.node());
                    fn.put("op", f.opType());
                    fn.put("reason", f.reason());
                    fn.put("detail", f.detail());
                    fn.put("macs", f.macs());
                });
                ArrayNode cv = cn.putArray("caveats");
                c.caveats().forEach(cv::add);
            }
            if (d.latency().isPresent()) {
                ObjectNode l = dn.putObject("latency");
                l.put("estimate", true);
                l.put("milliseconds", round(d.latency().get().milliseconds(), 2));
                l.put("basis", d.latency().get().basis());
            } else {
                dn.putNull("latency");
            }
            ArrayNode fs = dn.putArray("findings");
            for (Finding f : d.findings()) {
                ObjectNode fn = fs.addObject();
                fn.put("code", f.code().label());
                fn.put("severity", f.severity().label());
                fn.put("message", f.message());
                ArrayNode nodes = fn.putArray("nodes");
                f.nodes().forEach(nodes::add);
                f.fix().ifPresentOrElse(x -> fn.put("fix", x), () -> fn.putNull("fix"));
            }
        }
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double round(double v, int places) {
        return BigDecimal.valueOf(v).setScale(places, RoundingMode.HALF_EVEN).doubleValue();
    }
}
