package dev.satchel.verifier.update;

import dev.satchel.verifier.update.UpdateException.Code;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Fetches metadata and targets over HTTP(S) with {@link HttpURLConnection} (present on every
 * Android level, unlike java.net.http). Every read is bounded three ways: a byte cap checked
 * against Content-Length and while reading (endless data, §5.4.1 "Y bytes"), a connect and per-read
 * timeout, and a time budget for the whole file (a server trickling one byte per read timeout
 * would otherwise never end; TUF leaves slow retrieval to the transport). Thread-safe.
 */
final class HttpFetcher {
    private final int connectTimeoutMs;
    private final int readTimeoutMs;
    private final long fileBudgetMs;

    HttpFetcher(int connectTimeoutMs, int readTimeoutMs, long fileBudgetMs) {
        this.connectTimeoutMs = connectTimeoutMs;
        this.readTimeoutMs = readTimeoutMs;
        this.fileBudgetMs = fileBudgetMs;
    }

    /**
     * The body of {@code url}, at most {@code maxBytes}; {@code null} on HTTP 404 or 403 (the
     * file does not exist, §5.3.3).
     */
    byte[] fetch(URL url, long maxBytes, String what) throws UpdateException {
        long deadline = System.nanoTime() + fileBudgetMs * 1_000_000L;
        HttpURLConnection c = open(url, what, -1);
        try {
            int status = status(c, what);
            if (status == 404 || status == 403) {
                return null;
            }
            if (status != 200) {
                throw new UpdateException(Code.NETWORK, what + ": HTTP " + status + " from " + url);
            }
            checkDeclaredLength(c, maxBytes, 0, what);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            copy(c, out, 0, maxBytes, deadline, what);
            return out.toByteArray();
        } finally {
            c.disconnect();
        }
    }

    /**
     * Downloads {@code url} into {@code part}, at most {@code maxBytes} in total. A partial file
     * from an earlier attempt is resumed with an HTTP Range request; a server that ignores the
     * range (200) restarts the file. The caller checks length and hashes of the whole file.
     *
     * @return the SHA-256 of the whole file, computed while writing (no second pass over it)
     */
    byte[] download(URL url, Path part, long maxBytes, String what) throws UpdateException, IOException {
        long deadline = System.nanoTime() + fileBudgetMs * 1_000_000L;
        long have = Files.exists(part) ? Files.size(part) : 0;
        if (have > maxBytes) {
            Files.delete(part);
            have = 0;
        }
        HttpURLConnection c = open(url, what, have > 0 && have < maxBytes ? have : -1);
        try {
            int status = status(c, what);
            boolean append = status == 206 && have > 0;
            if (status != 200 && !append) {
                throw new UpdateException(Code.NETWORK, what + ": HTTP " + status + " from " + url);
            }
            if (append) {
                String range = c.getHeaderField("Content-Range");
                if (range == null || !range.startsWith("bytes " + have + "-")) {
                    throw new UpdateException(Code.NETWORK, what + ": asked for bytes " + have + "-, server sent range " + range);
                }
            } else {
                have = 0;
            }
            checkDeclaredLength(c, maxBytes, have, what);
            MessageDigest sha = sha256();
            if (append) {
                byte[] buf = new byte[256 * 1024];
                try (InputStream in = Files.newInputStream(part)) {
                    for (int n; (n = in.read(buf)) > 0; ) {
                        sha.update(buf, 0, n);
                    }
                }
            }
            try (OutputStream out = new DigestOutputStream(Files.newOutputStream(part, StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING), sha)) {
                copy(c, out, have, maxBytes, deadline, what);
            }
            return sha.digest();
        } finally {
            c.disconnect();
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private HttpURLConnection open(URL url, String what, long from) throws UpdateException {
        try {
            URLConnection uc = url.openConnection();
            if (!(uc instanceof HttpURLConnection)) {
                throw new UpdateException(Code.NETWORK, what + ": not an HTTP(S) URL: " + url);
            }
            HttpURLConnection c = (HttpURLConnection) uc;
            c.setConnectTimeout(connectTimeoutMs);
            c.setReadTimeout(readTimeoutMs);
            c.setInstanceFollowRedirects(false);
            c.setUseCaches(false);
            // Identity encoding: lengths in metadata are of the bytes on the wire.
            c.setRequestProperty("Accept-Encoding", "identity");
            if (from > 0) {
                c.setRequestProperty("Range", "bytes=" + from + "-");
            }
            return c;
        } catch (IOException ex) {
            throw failure(ex, what, url);
        }
    }

    private int status(HttpURLConnection c, String what) throws UpdateException {
        try {
            return c.getResponseCode();
        } catch (IOException ex) {
            throw failure(ex, what, c.getURL());
        }
    }

    private static void checkDeclaredLength(HttpURLConnection c, long maxBytes, long have, String what)
            throws UpdateException {
        long declared = c.getContentLengthLong();
        if (declared >= 0 && have + declared > maxBytes) {
            throw new UpdateException(Code.TOO_LARGE, what + ": server announces " + (have + declared)
                    + " bytes, limit is " + maxBytes);
        }
    }

    private void copy(HttpURLConnection c, OutputStream out, long have, long maxBytes, long deadline, String what)
            throws UpdateException {
        byte[] buf = new byte[64 * 1024];
        long total = have;
        try (InputStream in = c.getInputStream()) {
            while (true) {
                // Read at most one byte past the cap: enough to know the server sends too much.
                int n = in.read(buf, 0, (int) Math.min(buf.length, maxBytes - total + 1));
                if (n < 0) {
                    break;
                }
                total += n;
                if (total > maxBytes) {
                    throw new UpdateException(Code.TOO_LARGE, what + ": more than " + maxBytes + " bytes");
                }
                out.write(buf, 0, n);
                if (System.nanoTime() - deadline > 0) {
                    throw new UpdateException(Code.TIMEOUT, what + ": not complete within " + fileBudgetMs
                            + " ms (" + total + " bytes so far)");
                }
            }
            long declared = c.getContentLengthLong();
            if (declared >= 0 && total - have != declared) {
                throw new UpdateException(Code.NETWORK, what + ": connection ended after " + (total - have)
                        + " of " + declared + " bytes");
            }
        } catch (IOException ex) {
            throw failure(ex, what, c.getURL());
        }
    }

    private UpdateException failure(IOException ex, String what, URL url) {
        if (ex instanceof SocketTimeoutException) {
            return new UpdateException(Code.TIMEOUT, what + ": " + url + " timed out (" + ex.getMessage() + ")", ex);
        }
        return new UpdateException(Code.NETWORK, what + ": " + url + ": " + ex, ex);
    }
}
