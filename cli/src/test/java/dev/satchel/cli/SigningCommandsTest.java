package dev.satchel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** keygen, sign and verify-signature through the real command line. */
class SigningCommandsTest {
    @TempDir
    Path tmp;

    Path model;

    @BeforeEach
    void setUp() throws Exception {
        model = Files.createDirectories(tmp.resolve("my-model"));
        Files.write(model.resolve("model.onnx"), new byte[] {8, 1, 18, 4, 't', 'e', 's', 't'});
        Files.writeString(model.resolve("config.json"), "{}\n");
    }

    private CliRun keygen(String algorithm) {
        CliRun r = CliRun.of("keygen", "--algorithm", algorithm, "--out", tmp.resolve(algorithm).toString());
        assertEquals(0, r.exit(), r.err());
        return r;
    }

    @ParameterizedTest
    @ValueSource(strings = {"ecdsa-p256", "ecdsa-p384", "ed25519"})
    void keygenSignVerify_eachAlgorithm_exit0(String algorithm) throws Exception {
        keygen(algorithm);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve(algorithm + ".key"))));
        CliRun sign = CliRun.of("sign", model.toString(), "--key", tmp.resolve(algorithm + ".key").toString());
        assertEquals(0, sign.exit(), sign.err());
        assertTrue(Files.exists(model.resolve("model.sig")));
        CliRun verify = CliRun.of("verify-signature", model.toString(), "--sig", model.resolve("model.sig").toString(),
                "--public-key", tmp.resolve(algorithm + ".pub").toString());
        assertEquals(0, verify.exit(), verify.err());
        assertTrue(verify.out().startsWith("verified " + model + ": 2 resources, root sha256 "), verify.out());
    }

    @Test
    void verifySignature_tamperedFile_exit4WithCodeOnOneLine() throws Exception {
        keygen("ecdsa-p256");
        assertEquals(0, CliRun.of("sign", model.toString(), "--key", tmp.resolve("ecdsa-p256.key").toString()).exit());
        Files.writeString(model.resolve("config.json"), "{\"x\":1}\n");
        CliRun r = CliRun.of("verify-signature", model.toString(), "--public-key", tmp.resolve("ecdsa-p256.pub").toString());
        assertEquals(4, r.exit());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("satchel: DIGEST_MISMATCH: 'config.json': sha256 expected "), r.err());
    }

    @Test
    void verifySignature_tamperedSingleFile_messageNamesTheFileNotItsResourceName() throws Exception {
        keygen("ecdsa-p256");
        Path single = model.resolve("model.onnx");
        assertEquals(0, CliRun.of("sign", single.toString(), "--key", tmp.resolve("ecdsa-p256.key").toString()).exit());
        Files.write(single, new byte[] {8, 7, 18, 1, 'y'});
        CliRun r = CliRun.of("verify-signature", single.toString(), "--public-key", tmp.resolve("ecdsa-p256.pub").toString());
        assertEquals(4, r.exit());
        // OMS names a single-file model's resource "." (interop with the Python tools); people need the file.
        assertTrue(r.err().startsWith("satchel: DIGEST_MISMATCH: 'model.onnx': sha256 expected "), r.err());
    }

    @Test
    void verifySignature_unsignedModel_exit4Unsigned() throws Exception {
        keygen("ecdsa-p256");
        CliRun r = CliRun.of("verify-signature", model.toString(), "--public-key", tmp.resolve("ecdsa-p256.pub").toString());
        assertEquals(4, r.exit());
        assertTrue(r.err().startsWith("satchel: UNSIGNED: no signature file at "), r.err());
    }

    @Test
    void signFile_defaultsToSiblingSig_andJsonOutput() throws Exception {
        keygen("ecdsa-p256");
        Path file = model.resolve("model.onnx");
        CliRun r = CliRun.of("sign", file.toString(), "--key", tmp.resolve("ecdsa-p256.key").toString(), "--format", "json");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("\"schema\": \"satchel.sign/v1\""), r.out());
        assertTrue(Files.exists(model.resolve("model.onnx.sig")));
        CliRun v = CliRun.of("verify-signature", file.toString(), "--public-key", tmp.resolve("ecdsa-p256.pub").toString(),
                "--format", "json");
        assertEquals(0, v.exit(), v.err());
        assertTrue(v.out().contains("\"verified\": true"), v.out());
    }

    @Test
    void invalidInputs_exit3() throws Exception {
        Files.writeString(tmp.resolve("garbage.key"), "not a key");
        CliRun badKey = CliRun.of("sign", model.toString(), "--key", tmp.resolve("garbage.key").toString());
        assertEquals(3, badKey.exit(), badKey.err());
        assertTrue(Files.notExists(model.resolve("model.sig")));
        Files.writeString(tmp.resolve("trust.json"), "{\"_type\": \"nope\"}");
        CliRun badTrust = CliRun.of("verify-signature", model.toString(), "--trust", tmp.resolve("trust.json").toString());
        assertEquals(3, badTrust.exit(), badTrust.err());
        assertTrue(badTrust.err().contains("MALFORMED: trust file /_type: expected"), badTrust.err());
        CliRun noModel = CliRun.of("verify-signature", tmp.resolve("absent").toString(), "--trust", tmp.resolve("trust.json").toString());
        assertEquals(3, noModel.exit());
    }

    @Test
    void keygen_unknownAlgorithm_isUsageError_andRefusesOverwrite() {
        assertEquals(2, CliRun.of("keygen", "--algorithm", "rsa", "--out", tmp.resolve("x").toString()).exit());
        keygen("ecdsa-p256");
        CliRun again = CliRun.of("keygen", "--algorithm", "ecdsa-p256", "--out", tmp.resolve("ecdsa-p256").toString());
        assertEquals(5, again.exit());
        assertTrue(again.err().contains("refusing to overwrite"), again.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"keygen", "sign", "verify-signature", "trust"})
    void help_showsExampleAndMatchesGolden(String command) throws Exception {
        CliRun r = CliRun.of(command, "--help");
        assertEquals(0, r.exit());
        assertTrue(r.out().contains("Examples:\n  satchel " + command), r.out());
        Golden.assertMatches("help-" + command + ".txt", r.out());
    }

    @ParameterizedTest
    @ValueSource(strings = {"add-key", "add-ca", "rotate", "revoke"})
    void trustSubcommandHelp_showsExample(String sub) {
        CliRun r = CliRun.of("trust", sub, "--help");
        assertEquals(0, r.exit());
        assertTrue(r.out().contains("Examples:\n  satchel trust " + sub), r.out());
    }

    @Test
    void trustCommands_rotateThenRevoke_changeWhatVerifies() throws Exception {
        keygen("ecdsa-p256");
        CliRun.of("keygen", "--out", tmp.resolve("next").toString());
        String trust = tmp.resolve("trust.json").toString();
        assertEquals(0, CliRun.of("trust", "add-key", "--trust", trust, "--public-key", tmp.resolve("ecdsa-p256.pub").toString()).exit());
        assertEquals(0, CliRun.of("sign", model.toString(), "--key", tmp.resolve("next.key").toString()).exit());
        CliRun before = CliRun.of("verify-signature", model.toString(), "--trust", trust);
        assertEquals(4, before.exit());
        assertTrue(before.err().startsWith("satchel: UNTRUSTED_KEY:"), before.err());
        CliRun rotate = CliRun.of("trust", "rotate", "--trust", trust, "--old-key", tmp.resolve("ecdsa-p256.key").toString(),
                "--new-public-key", tmp.resolve("next.pub").toString());
        assertEquals(0, rotate.exit(), rotate.err());
        CliRun after = CliRun.of("verify-signature", model.toString(), "--trust", trust);
        assertEquals(0, after.exit(), after.err());
        assertTrue(after.out().contains("endorsed by rotation"), after.out());
        CliRun revoke = CliRun.of("trust", "revoke", "--trust", trust, "--signing-key", tmp.resolve("ecdsa-p256.key").toString(),
                "--revoke-public-key", tmp.resolve("next.pub").toString(), "--reason", "laptop lost");
        assertEquals(0, revoke.exit(), revoke.err());
        CliRun revoked = CliRun.of("verify-signature", model.toString(), "--trust", trust);
        assertEquals(4, revoked.exit());
        assertTrue(revoked.err().startsWith("satchel: KEY_REVOKED: ") && revoked.err().contains("laptop lost"), revoked.err());
        // A rotation signed by a key the file does not trust is refused and the file is left unchanged.
        byte[] saved = Files.readAllBytes(tmp.resolve("trust.json"));
        CliRun.of("keygen", "--out", tmp.resolve("stranger").toString());
        CliRun bad = CliRun.of("trust", "rotate", "--trust", trust, "--old-key", tmp.resolve("stranger.key").toString(),
                "--new-public-key", tmp.resolve("stranger.pub").toString());
        assertEquals(3, bad.exit(), bad.err());
        assertTrue(java.util.Arrays.equals(saved, Files.readAllBytes(tmp.resolve("trust.json"))));
    }
}
