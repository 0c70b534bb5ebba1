package dev.satchel.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.StringReader;
import java.nio.file.Path;
import java.nio.file.Paths;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

class JUnitXmlSchemaTest {
    @TempDir
    Path dir;

    private static Validator validator() throws Exception {
        SchemaFactory f = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
        return f.newSchema(Paths.get("src/test/resources/junit.xsd").toFile()).newValidator();
    }

    @Test
    void render_junit_validatesAgainstJUnitSchema() throws Exception {
        for (boolean quantized : new boolean[] {true, false}) {
            String xml = Report.build(ReportFixtures.inputs(dir, quantized)).render(ReportFormat.JUNIT);
            validator().validate(new StreamSource(new StringReader(xml)));
        }
        String lab = Report.build(ReportFixtures.labInputs(dir)).render(ReportFormat.JUNIT);
        validator().validate(new StreamSource(new StringReader(lab)));
    }

    @Test
    void validator_rejectsBrokenJUnit_soTheSchemaCanFail() throws Exception {
        String xml = "<testsuites><testsuite name=\"x\" tests=\"one\" failures=\"0\" errors=\"0\"/></testsuites>";
        assertThrows(SAXException.class, () -> validator().validate(new StreamSource(new StringReader(xml))));
    }

    @Test
    void render_junit_oneCasePerDeviceAndCheck_unmetRequirementFails() throws Exception {
        String xml = ReportFixtures.report(dir).render(ReportFormat.JUNIT);
        Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
        NodeList suites = d.getElementsByTagName("testsuite");
        // quantization + 4 devices
        assertEquals(1 + ReportFixtures.DEVICES.size(), suites.getLength());
        // 6 checks + requirements per device, 1 accuracy-gate case
        assertEquals(ReportFixtures.DEVICES.size() * 7 + 1, d.getElementsByTagName("testcase").getLength());
        NodeList failures = d.getElementsByTagName("failure");
        assertEquals(1, failures.getLength());
        Element tc = (Element) failures.item(0).getParentNode();
        assertEquals("satchel.device.samsung-galaxy-s24-snapdragon", tc.getAttribute("classname"));
        assertEquals("requirements", tc.getAttribute("name"));
        assertEquals("1", d.getDocumentElement().getAttribute("failures"));
    }
}
