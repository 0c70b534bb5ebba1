package dev.satchel.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** Reads the version that Maven filtered into {@code satchel-version.properties}. */
public final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
        Properties p = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream("/satchel-version.properties")) {
            if (in != null) {
                p.load(in);
            }
        }
        return new String[] {
            "satchel " + p.getProperty("version", "unknown"),
            "onnxruntime " + p.getProperty("onnxruntime", "unknown")
                    + ", Java " + System.getProperty("java.version")
        };
    }
}
