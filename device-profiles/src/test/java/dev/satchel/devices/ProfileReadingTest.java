package dev.satchel.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satchel.devices.ProfileProblem.Code;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileReadingTest {
    @TempDir
    Path dir;

    private final ProfileCatalogue builtIn = ProfileCatalogue.builtIn();

    static final String VALID = String.join("\n",
            "id: my-board",
            "name: My board",
            "class: board",
            "sources:",
            "  vendor-page: https://example.com/board",
            "ram_gb: {value: 4, evidence: vendor, sources: [vendor-page]}",
            "memory:",
            "  app_budget_mb: {value: 3000, evidence: estimate, basis: RAM minus OS}",
            "  model_budget_mb: {value: 2000, evidence: estimate, basis: leave room for the app}",
            "cpu:",
            "  cores: {value: 4, evidence: vendor, sources: [vendor-page]}",
            "  features: {value: [neon, dotprod], evidence: unverified}",
            "accelerators:",
            "  - id: cpu",
            "    name: CPU",
            "    kind: cpu",
            "    execution_providers: [cpu, xnnpack]",
            "    compute_types: {value: [fp32, int8], evidence: unverified}",
            "os: {platform: linux}",
            "onnxruntime: {value: '1.20', evidence: estimate, basis: what we ship}",
            "");

    private Path write(String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text, StandardCharsets.UTF_8);
        return f;
    }

    private List<ProfileProblem> problems(Path file) {
        ProfileException e = assertThrows(ProfileException.class, () -> builtIn.read(file));
        return e.problems();
    }

    private static String codesAndLines(List<ProfileProblem> ps) {
        return ps.stream().map(p -> p.line() + ":" + p.code().label()).collect(Collectors.joining(" "));
    }

    @Test
    void read_validFile_returnsImmutableProfile() throws Exception {
        DeviceProfile p = builtIn.read(write("my-board.yaml", VALID));
        assertEquals("my-board", p.id());
        assertEquals(DeviceClass.BOARD, p.deviceClass());
        assertEquals(2000L, p.memory().modelBudgetMb().get().value());
        assertEquals(Evidence.ESTIMATE, p.memory().modelBudgetMb().get().evidence());
        assertEquals("https://example.com/board", p.ramGb().get().sources().get(0).ref());
        assertTrue(p.cpu().hasFeature("dotprod"));
        assertEquals("1.20", p.onnxRuntime().value());
        assertThrows(UnsupportedOperationException.class, () -> p.accelerators().add(null));
    }

    @Test
    void read_manyProblems_reportsEveryOneWithItsLine() throws Exception {
        String text = String.join("\n",
                "id: Bad_Id", //                                                   1 invalid-value
                "name: x",
                "class: phablet", //                                               3 invalid-value
                "sources: {a: https://example.com}",
                "ram_gb: {value: 4, evidence: vendor}", //                         5 missing-source
                "memory:",
                "  app_budget_mb: {value: many, evidence: estimate, basis: b}", // 7 wrong-type
                "  model_budget_mb: {value: 10, evidence: estimate}", //           8 missing-basis
                "  colour: blue", //                                               9 unknown-field
                "accelerators:",
                "  - id: npu",
                "    name: NPU",
                "    kind: npu",
                "    execution_providers: [tpu-magic]", //                        14 unknown-execution-provider
                "    compute_types: {value: [fp8], evidence: unverified}", //      15 invalid-value
                "    peak: {value: 4, unit: TOPS, evidence: reported, sources: [nope]}", // 16 unknown-source
                "os: {platform: symbian}", //                                     17 invalid-value
                "onnxruntime: {value: latest, evidence: estimate, basis: b}", //  18 invalid-value
                "");
        List<ProfileProblem> ps = problems(write("bad.yaml", text));
        assertEquals("1:invalid-value 3:invalid-value 5:missing-source 7:wrong-type 8:missing-basis"
                + " 9:unknown-field 14:unknown-execution-provider 15:invalid-value 16:unknown-source"
                + " 17:invalid-value 18:invalid-value", codesAndLines(ps));
        assertTrue(ps.stream().allMatch(p -> p.file().endsWith("bad.yaml")));
    }

    @Test
    void problem_toString_isCompilerStyle() {
        ProfileProblem p = new ProfileProblem("a.yaml", 7, Code.UNKNOWN_FIELD, "unknown field 'x'");
        assertEquals("a.yaml:7: unknown-field: unknown field 'x'", p.toString());
    }

    @Test
    void read_yamlSyntaxError_reportsTheLine() throws Exception {
        List<ProfileProblem> ps = problems(write("s.yaml", "id: a\nname: [unclosed\nclass: phone\n"));
        assertEquals(1, ps.size());
        assertEquals(Code.YAML_SYNTAX, ps.get(0).code());
        assertTrue(ps.get(0).line() >= 2, ps.get(0).toString());
    }

    @Test
    void read_duplicateKey_namesBothLines() throws Exception {
        List<ProfileProblem> ps = problems(write("d.yaml", VALID + "name: again\n"));
        assertEquals(Code.DUPLICATE_KEY, ps.get(0).code());
        assertEquals(21, ps.get(0).line());
        assertTrue(ps.get(0).message().contains("line 2"), ps.get(0).message());
    }

    @Test
    void read_emptyFile_isMissingFields() throws Exception {
        assertEquals(Code.MISSING_FIELD, problems(write("e.yaml", "")).get(0).code());
    }

    @Test
    void read_topLevelList_isWrongType() throws Exception {
        assertEquals("1:wrong-type", codesAndLines(problems(write("l.yaml", "- a\n- b\n"))));
    }

    @Test
    void read_notUtf8_isReported() throws Exception {
        Path f = dir.resolve("bin.yaml");
        Files.write(f, new byte[] {'i', 'd', ':', ' ', (byte) 0xC3, (byte) 0x28});
        assertEquals(Code.YAML_SYNTAX, problems(f).get(0).code());
    }

    @Test
    void read_norwayAndNumbersAsText_stayText() throws Exception {
        DeviceProfile p = builtIn.read(write("n.yaml", VALID.replace("os: {platform: linux}",
                "os: {platform: linux, version: {value: 12, evidence: unverified}}")));
        assertEquals("12", p.os().version().get().value());
    }

    @Test
    void read_dims_areWholeNumbersOrReportedWithTheirLine() throws Exception {
        DeviceProfile p = builtIn.read(write("d.yaml", VALID + "dims: {batch_size: 1, sequence_length: 128}\n"));
        assertEquals(128L, p.dims().get("sequence_length"));
        List<ProfileProblem> ps = problems(write("e.yaml", VALID + "dims:\n  batch_size: one\n  seq: -3\n"));
        assertEquals("22:wrong-type 23:invalid-value", codesAndLines(ps));
    }

    @Test
    void read_extendsBuiltIn_inheritsAndOverridesFields() throws Exception {
        String child = String.join("\n",
                "extends: google-pixel-8",
                "id: our-pixel-8",
                "name: Pixel 8 as our app sees it",
                "sources: {lab: https://example.com/our-lab-measurement}",
                "memory:",
                "  model_budget_mb: {value: 1200, evidence: community-measured, sources: [lab]}",
                "onnxruntime: {value: '1.22', evidence: vendor, sources: [lab]}",
                "");
        DeviceProfile p = builtIn.read(write("our-pixel-8.yaml", child));
        DeviceProfile parent = builtIn.find("google-pixel-8").get();
        assertEquals(1200L, p.memory().modelBudgetMb().get().value());
        assertEquals(parent.memory().appBudgetMb(), p.memory().appBudgetMb()); // sibling key kept
        assertEquals("1.22", p.onnxRuntime().value());
        assertEquals(parent.accelerators(), p.accelerators());
        assertEquals(parent.cpu(), p.cpu());
        assertEquals("google-pixel-8", p.extendsId().get());
        // parent's sources stay available to inherited facts; the child's are added
        assertTrue(p.sources().stream().anyMatch(s -> s.key().equals("lab")));
        assertTrue(p.sources().size() > 1);
    }

    @Test
    void read_extendsWithNull_removesTheParentField() throws Exception {
        String child = "extends: google-pixel-8\nid: no-storage\nname: n\nstorage: null\n";
        DeviceProfile p = builtIn.read(write("no-storage.yaml", child));
        assertTrue(p.storage().downloadBudgetMb().isEmpty());
        assertTrue(builtIn.find("google-pixel-8").get().storage().downloadBudgetMb().isPresent());
    }

    @Test
    void read_extendsReplacesListsWhole() throws Exception {
        String child = String.join("\n",
                "extends: google-pixel-8",
                "id: cpu-only-pixel",
                "name: Pixel 8, CPU only",
                "accelerators:",
                "  - {id: cpu, name: CPU, kind: cpu, execution_providers: [cpu],"
                        + " compute_types: {value: [fp32], evidence: unverified}}",
                "");
        DeviceProfile p = builtIn.read(write("cpu-only-pixel.yaml", child));
        assertEquals(1, p.accelerators().size());
        assertEquals(List.of("cpu"), p.executionProviders());
    }

    @Test
    void read_childProblems_pointIntoTheChildFile() throws Exception {
        String child = "extends: google-pixel-8\nid: c\nname: c\nmemory:\n  app_budget_mb: {value: -5, evidence: estimate, basis: b}\n";
        List<ProfileProblem> ps = problems(write("c.yaml", child));
        assertEquals("5:invalid-value", codesAndLines(ps));
        assertTrue(ps.get(0).file().endsWith("c.yaml"));
    }

    @Test
    void read_extendsUnknown_isUnknownParentOnTheExtendsLine() throws Exception {
        List<ProfileProblem> ps = problems(write("u.yaml", "id: u\nname: u\nextends: pixel-42\n"));
        assertEquals("3:unknown-parent", codesAndLines(ps));
    }

    @Test
    void read_extendsSiblingFile_usesIt() throws Exception {
        write("my-board.yaml", VALID);
        Path child = write("my-board-8gb.yaml", "extends: my-board\nid: my-board-8gb\nname: My board 8 GB\n"
                + "ram_gb: {value: 8, evidence: vendor, sources: [vendor-page]}\n");
        DeviceProfile p = builtIn.read(child);
        assertEquals(8L, p.ramGb().get().value());
        assertEquals(3000L, p.memory().appBudgetMb().get().value());
    }

    @Test
    void read_extendsPathOutsideTheFolder_isRejectedWithoutReadingIt() throws Exception {
        Path outside = dir.resolve("secret.yaml");
        Files.writeString(outside, VALID.replace("id: my-board", "id: secret"));
        Path sub = Files.createDirectories(dir.resolve("sub"));
        Path child = sub.resolve("c.yaml");
        Files.writeString(child, "extends: ../secret\nid: c\nname: c\n");
        List<ProfileProblem> ps = problems(child);
        assertEquals("1:invalid-value", codesAndLines(ps));
    }

    @Test
    void read_deeplyNestedYaml_isRejected() throws Exception {
        String deep = "id: x\nnotes: " + "[".repeat(60) + "]".repeat(60) + "\n";
        assertEquals(Code.YAML_SYNTAX, problems(write("deep.yaml", deep)).get(0).code());
    }

    @Test
    void read_extendsCycle_isReported() throws Exception {
        write("a.yaml", "extends: b\nid: a\nname: a\n");
        write("b.yaml", "extends: a\nid: b\nname: b\n");
        List<ProfileProblem> ps = problems(dir.resolve("a.yaml"));
        assertTrue(ps.stream().anyMatch(p -> p.code() == Code.EXTENDS_CYCLE), ps.toString());
    }

    @Test
    void read_childWithoutName_mustSetItsOwn() throws Exception {
        List<ProfileProblem> ps = problems(write("x.yaml", "extends: google-pixel-8\nid: x\n"));
        assertEquals(Code.MISSING_FIELD, ps.get(0).code());
        assertTrue(ps.get(0).message().contains("'name'"));
    }

    @Test
    void read_modelBudgetAboveAppBudget_isInconsistent() throws Exception {
        List<ProfileProblem> ps = problems(write("i.yaml", VALID.replace("value: 2000", "value: 9000")));
        assertEquals("9:inconsistent", codesAndLines(ps));
    }

    @Test
    void read_extendedBudgetWithoutCondition_isMissingField() throws Exception {
        String text = VALID.replace("memory:\n", "memory:\n  extended_budget_mb: {value: 3500, evidence: estimate, basis: b}\n");
        assertEquals("8:missing-field", codesAndLines(problems(write("x.yaml", text))));
    }

    @Test
    void withFiles_duplicateIds_areReported() throws Exception {
        Path a = write("one.yaml", VALID);
        Path b = write("two.yaml", VALID);
        ProfileException e = assertThrows(ProfileException.class, () -> builtIn.withFiles(List.of(a, b)));
        assertEquals(Code.DUPLICATE_ID, e.problems().get(0).code());
    }

    @Test
    void withFiles_sameIdAsBuiltIn_replacesIt() throws Exception {
        Path f = write("pixel.yaml", VALID.replace("id: my-board", "id: google-pixel-8"));
        ProfileCatalogue c = builtIn.withFiles(List.of(f));
        assertEquals("My board", c.find("google-pixel-8").get().name());
        assertEquals(builtIn.all().size(), c.all().size());
    }

    @Test
    void read_hugeFile_isRejectedWithoutParsing() throws Exception {
        Path f = write("big.yaml", "a".repeat(2_000_000));
        assertEquals(Code.YAML_SYNTAX, problems(f).get(0).code());
    }

    @Test
    void read_aliasBomb_isRejected() throws Exception {
        StringBuilder sb = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x]\n");
        for (int i = 0; i < 30; i++) {
            sb.append("b").append(i).append(": &b").append(i).append(" [*a, *a, *a, *a, *a, *a]\n");
        }
        assertEquals(Code.YAML_SYNTAX, problems(write("bomb.yaml", sb.toString())).get(0).code());
    }
}
