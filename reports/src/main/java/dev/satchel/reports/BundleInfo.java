package dev.satchel.reports;

import java.util.Objects;
import java.util.Optional;

/**
 * The bundle a report describes. The report travels inside the bundle (the signed manifest records
 * its digest), so it cannot record the digest of the bundle file itself; it records the digest of
 * the model payload instead, which the manifest signs too. Immutable.
 *
 * @param name bundle name
 * @param version bundle version
 * @param file bundle file name (no folder)
 * @param modelSha256 hex SHA-256 of the shipped model bytes, as listed in the manifest
 */
public record BundleInfo(String name, String version, String file, Optional<String> modelSha256) {
    public BundleInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(modelSha256, "modelSha256");
    }
}
