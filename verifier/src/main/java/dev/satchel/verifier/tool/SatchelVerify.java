package dev.satchel.verifier.tool;

import dev.satchel.verifier.bundle.BundleVerifier;
import dev.satchel.verifier.bundle.DeviceFacts;
import dev.satchel.verifier.bundle.Manifest;
import dev.satchel.verifier.bundle.OmsSignatureCheck;
import dev.satchel.verifier.bundle.SignatureCheck;
import dev.satchel.verifier.bundle.VerificationException;
import dev.satchel.verifier.bundle.VerificationPolicy;
import dev.satchel.verifier.bundle.VerifiedBundle;
import dev.satchel.verifier.signature.ModelSignatureException;
import dev.satchel.verifier.signature.PublicKeyInfo;
import dev.satchel.verifier.signature.TrustConfig;
import dev.satchel.verifier.store.ModelStore;
import dev.satchel.verifier.store.StoreStatus;
import dev.satchel.verifier.update.UpdateClient;
import dev.satchel.verifier.update.UpdateException;
import dev.satchel.verifier.update.UpdateResult;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code satchel-verify}: the device verifier as a tiny command for Linux boards and scripts
 * ({@code java -jar satchel-verifier.jar verify|install|status|attempt|confirm|update ...}). Plain argument parsing (the
 * verifier has no dependencies). Exit codes match {@code satchel}: 0 ok, 2 usage, 3 invalid input
 * (trust file), 4 verification or install refused, 5 I/O.
 */
public final class SatchelVerify {
    static final int OK = 0;
    static final int USAGE = 2;
    static final int INPUT_INVALID = 3;
    static final int REFUSED = 4;
    static final int IO = 5;

    private static final String HELP = String.join("\n",
            "Usage: satchel-verify verify BUNDLE --trust TRUST",
            "       satchel-verify install BUNDLE --store DIR --trust TRUST [--name NAME] [--move] [--trial N]",
            "                      [--profile ID] [--ram BYTES] [--ep EP[,EP...]] [--ort X.Y.Z]",
            "       satchel-verify status|attempt|confirm --store DIR --trust TRUST [--name NAME]",
            "       satchel-verify update --repo URL --store DIR --root ROOT.json --trust TRUST [--name NAME]",
            "                      [--metadata DIR] [--trial N] [--profile ID] [--ram BYTES] [--ep EP[,EP...]]",
            "",
            "TRUST is a public key (PEM) or a Satchel trust file (JSON). --move consumes BUNDLE (same",
            "filesystem as the store): it is moved into the store instead of copied, or deleted if refused.",
            "--trial N installs on trial: run 'attempt' before each load of the model (it prints the bundle",
            "to load) and 'confirm' once it works; after N attempts without confirm the store returns to",
            "the last-good version and never installs the abandoned one again (a first install, with",
            "nothing to return to, is not on trial).",
            "update walks the TUF client workflow from ROOT.json (metadata kept in --metadata, default",
            "STORE/tuf) and installs the newest bundle that fits; refusals print a code (docs/update-repository.md).",
            "Exit codes: 0 ok, 2 usage, 3 invalid trust input, 4 bundle or update refused, 5 I/O error.",
            "",
            "Example:",
            "  java -jar satchel-verifier.jar install tiny-3.bundle --store /var/lib/models/tiny \\",
            "      --trust release.pub --profile rpi-4");

    private SatchelVerify() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs a command line; returns the exit code (for tests). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Map<String, String> opts = new LinkedHashMap<>();
        List<String> positional = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-h") || a.equals("--help")) {
                out.println(HELP);
                return OK;
            }
            if (a.equals("--move")) {
                opts.put(a, "true");
                continue;
            }
            if (a.startsWith("--")) {
                if (!Arrays.asList("--trust", "--store", "--name", "--profile", "--ram", "--ep", "--ort", "--repo",
                        "--root", "--metadata", "--trial").contains(a)) {
                    return usage(err, "unknown option " + a);
                }
                if (i + 1 >= args.length) {
                    return usage(err, a + " needs a value");
                }
                if (opts.put(a, args[++i]) != null) {
                    return usage(err, a + " given twice");
                }
            } else {
                positional.add(a);
            }
        }
        if (positional.isEmpty()) {
            return usage(err, "no command");
        }
        String command = positional.get(0);
        if (!Arrays.asList("verify", "install", "status", "attempt", "confirm", "update").contains(command)) {
            return usage(err, "unknown command '" + command + "'");
        }
        if (!opts.containsKey("--trust")) {
            return usage(err, "--trust TRUST is required");
        }
        TrustCheck trust = new TrustCheck(Paths.get(opts.get("--trust")));
        trust.start();
        try {
            try {
                return execute(command, positional, opts, trust, out, err);
            } catch (Exception ex) {
                // A broken trust file is reported first, as when it was read before the bundle.
                trust.parsed();
                throw ex;
            }
        } catch (UpdateException ex) {
            err.println("satchel-verify: " + ex.code() + ": " + ex.getMessage());
            return REFUSED;
        } catch (VerificationException ex) {
            err.println("satchel-verify: " + ex.code() + ": " + ex.getMessage());
            return REFUSED;
        } catch (ModelSignatureException ex) {
            err.println("satchel-verify: trust: " + ex.getMessage());
            return INPUT_INVALID;
        } catch (NoSuchFileException ex) {
            err.println("satchel-verify: " + ex.getMessage() + ": no such file");
            return IO;
        } catch (java.net.MalformedURLException ex) {
            return usage(err, "--repo: " + ex.getMessage());
        } catch (IOException ex) {
            err.println("satchel-verify: " + ex);
            return IO;
        } catch (IllegalArgumentException ex) {
            return usage(err, ex.getMessage());
        }
    }

    private static int execute(String command, List<String> positional, Map<String, String> opts, TrustCheck trust,
            PrintStream out, PrintStream err)
            throws IOException, VerificationException, ModelSignatureException, UpdateException {
        BundleVerifier verifier = BundleVerifier.create(VerificationPolicy.requireSignature(trust));
        switch (command) {
            case "verify": {
                if (positional.size() != 2) {
                    return usage(err, "verify takes one BUNDLE");
                }
                VerifiedBundle b = verifier.verify(Paths.get(positional.get(1)));
                out.println("OK " + describe(b.manifest()));
                for (VerifiedBundle.Entry e : b.entries()) {
                    out.println("  " + e);
                }
                return OK;
            }
            case "install": {
                if (positional.size() != 2 || !opts.containsKey("--store")) {
                    return usage(err, "install takes one BUNDLE and --store DIR");
                }
                DeviceFacts device = device(opts);
                try (ModelStore store = openStore(Paths.get(opts.get("--store")), opts, verifier, trust)) {
                    trial(store, opts);
                    Path source = Paths.get(positional.get(1));
                    VerifiedBundle b = opts.containsKey("--move") ? store.installByMove(source, device)
                            : store.install(source, device);
                    out.println("INSTALLED " + describe(b.manifest()) + " (" + store.status() + ")");
                }
                return OK;
            }
            case "status":
            case "attempt":
            case "confirm": {
                if (positional.size() != 1 || !opts.containsKey("--store")) {
                    return usage(err, command + " takes --store DIR");
                }
                try (ModelStore store = openStore(Paths.get(opts.get("--store")), opts, verifier, trust)) {
                    if (command.equals("attempt")) {
                        VerifiedBundle b = store.attempt();
                        if (b == null) {
                            err.println("satchel-verify: the store is empty");
                            return REFUSED;
                        }
                        out.println(b.file()); // what to load, alone on the line for scripts
                    } else {
                        if (command.equals("confirm")) {
                            store.confirm();
                        }
                        StoreStatus s = store.status();
                        trust.parsed();
                        out.println(s);
                        if (store.current() != null) {
                            out.println("current: " + describe(store.current().manifest()) + " at " + store.current().file());
                        }
                    }
                }
                return OK;
            }
            case "update": {
                if (positional.size() != 1 || !opts.containsKey("--store") || !opts.containsKey("--repo")
                        || !opts.containsKey("--root")) {
                    return usage(err, "update takes --repo URL --store DIR --root ROOT.json");
                }
                Path storeDir = Paths.get(opts.get("--store"));
                Path metadata = opts.containsKey("--metadata") ? Paths.get(opts.get("--metadata")) : storeDir.resolve("tuf");
                UpdateClient.trustRoot(metadata, Files.readAllBytes(Paths.get(opts.get("--root"))));
                UpdateClient client = UpdateClient.builder(new URL(opts.get("--repo")), metadata)
                        .device(device(opts)).modelName(opts.get("--name")).build();
                try (ModelStore store = openStore(storeDir, opts, verifier, trust)) {
                    trial(store, opts);
                    UpdateResult r = client.update(store);
                    trust.parsed();
                    long left = store.status().trialAttemptsLeft();
                    out.println(r + (r.installed() != null && left >= 0 ? "; on trial: confirm it within " + left
                            + " attempts (satchel-verify attempt, confirm)" : ""));
                }
                return OK;
            }
            default:
                return usage(err, "unknown command '" + command + "'");
        }
    }

    /** Opening creates a missing store: then the trust file is checked first, so a broken one leaves nothing behind. */
    private static ModelStore openStore(Path dir, Map<String, String> opts, BundleVerifier verifier, TrustCheck trust)
            throws IOException, VerificationException, ModelSignatureException {
        if (!Files.exists(dir)) {
            trust.parsed();
        }
        return ModelStore.open(dir, opts.get("--name"), verifier);
    }

    private static void trial(ModelStore store, Map<String, String> opts) {
        if (opts.containsKey("--trial")) {
            int n;
            try {
                n = Integer.parseInt(opts.get("--trial"));
            } catch (NumberFormatException ex) {
                n = 0;
            }
            if (n < 1) {
                throw new IllegalArgumentException("--trial takes a number of attempts, at least 1: '" + opts.get("--trial") + "'");
            }
            store.trialAttempts(n);
        }
    }

    static TrustConfig trust(Path file) throws IOException, ModelSignatureException {
        byte[] bytes = Files.readAllBytes(file);
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.contains("-----BEGIN PUBLIC KEY-----")) {
            return TrustConfig.ofPublicKey(PublicKeyInfo.fromPem(text));
        }
        return TrustConfig.parse(bytes);
    }

    private static DeviceFacts device(Map<String, String> opts) {
        DeviceFacts d;
        if (opts.containsKey("--ram") || opts.containsKey("--ep")) {
            long ram = opts.containsKey("--ram") ? Long.parseLong(opts.get("--ram")) : -1;
            List<String> eps = opts.containsKey("--ep") ? Arrays.asList(opts.get("--ep").split(","))
                    : new ArrayList<String>();
            d = DeviceFacts.of(ram, eps);
            if (opts.containsKey("--profile")) {
                d = d.withProfile(opts.get("--profile"));
            }
        } else if (opts.containsKey("--profile")) {
            d = DeviceFacts.ofProfile(opts.get("--profile"));
        } else {
            d = DeviceFacts.unknown();
        }
        if (opts.containsKey("--ort")) {
            d = d.withOnnxRuntime(opts.get("--ort"));
        }
        return d;
    }

    private static String describe(Manifest m) {
        return m.name() + " version " + m.version() + " (" + m.displayVersion() + ")";
    }

    private static int usage(PrintStream err, String message) {
        err.println("satchel-verify: " + message);
        err.println("Try 'satchel-verify --help'.");
        return USAGE;
    }

    /**
     * The {@code --trust} file, parsed on a helper thread: reading it initialises the JCA providers
     * and the key (about 50 ms at start-up), which then overlaps with reading the bundle instead of
     * delaying it. The signature check waits for it; {@link #parsed} reports its failures.
     */
    private static final class TrustCheck extends Thread implements SignatureCheck {
        private final Path file;
        private OmsSignatureCheck check;
        private Throwable failure;

        TrustCheck(Path file) {
            super("satchel-verify-trust");
            setDaemon(true);
            this.file = file;
        }

        @Override
        public void run() {
            try {
                check = OmsSignatureCheck.of(trust(file));
            } catch (Throwable t) {
                // Handed to the main thread, which throws it as if it had parsed the file itself.
                failure = t;
            }
        }

        OmsSignatureCheck parsed() throws IOException, ModelSignatureException {
            try {
                join();
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while reading " + file);
            }
            if (failure instanceof IOException) {
                throw (IOException) failure;
            }
            if (failure instanceof ModelSignatureException) {
                throw (ModelSignatureException) failure;
            }
            if (failure instanceof RuntimeException) {
                throw (RuntimeException) failure;
            }
            if (failure != null) {
                throw (Error) failure;
            }
            return check;
        }

        @Override
        public void verify(byte[] signature, Map<String, byte[]> sha256ByName) throws VerificationException {
            begin(signature).finish(sha256ByName);
        }

        @Override
        public Pending begin(byte[] signature) throws VerificationException {
            try {
                return parsed().begin(signature);
            } catch (IOException | ModelSignatureException ex) {
                // Never shown: SatchelVerify.run reports the trust file's own failure (parsed())
                // before looking at the exception this turns into.
                throw new IllegalStateException("trust file unusable", ex);
            }
        }
    }
}
