package dev.satchel.packager.quantize;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * BERT WordPiece tokenizer for tests and benchmarks: the vocabulary from a Hugging Face
 * tokenizer.json ("model.vocab"), BertNormalizer (clean text, lowercase, CJK spacing) and
 * BertPreTokenizer (whitespace and punctuation), greedy longest-match with "##" continuations.
 */
final class WordPiece {
    static final long CLS = 101;
    static final long SEP = 102;
    static final long UNK = 100;
    private final Map<String, Integer> vocab;

    private WordPiece(Map<String, Integer> vocab) {
        this.vocab = vocab;
    }

    static WordPiece load(Path tokenizerJson) throws IOException {
        String json = Files.readString(tokenizerJson, StandardCharsets.UTF_8);
        int model = json.indexOf("\"model\"");
        int start = json.indexOf("\"vocab\"", model);
        int i = json.indexOf('{', start) + 1;
        Map<String, Integer> vocab = new HashMap<>();
        while (true) {
            while (Character.isWhitespace(json.charAt(i)) || json.charAt(i) == ',') {
                i++;
            }
            if (json.charAt(i) == '}') {
                break;
            }
            StringBuilder key = new StringBuilder();
            i++; // opening quote
            while (json.charAt(i) != '"') {
                char c = json.charAt(i++);
                if (c == '\\') {
                    char e = json.charAt(i++);
                    switch (e) {
                        case 'u':
                            key.append((char) Integer.parseInt(json.substring(i, i + 4), 16));
                            i += 4;
                            break;
                        case 'n': key.append('\n'); break;
                        case 't': key.append('\t'); break;
                        case 'r': key.append('\r'); break;
                        case 'b': key.append('\b'); break;
                        case 'f': key.append('\f'); break;
                        default: key.append(e);
                    }
                } else {
                    key.append(c);
                }
            }
            i = json.indexOf(':', i) + 1;
            while (Character.isWhitespace(json.charAt(i))) {
                i++;
            }
            int end = i;
            while (Character.isDigit(json.charAt(end))) {
                end++;
            }
            vocab.put(key.toString(), Integer.parseInt(json.substring(i, end)));
            i = end;
        }
        return new WordPiece(vocab);
    }

    /** [CLS] tokens [SEP]. */
    long[] encode(String text) {
        List<Long> ids = new ArrayList<>();
        ids.add(CLS);
        for (String word : preTokenize(normalize(text))) {
            wordPiece(word, ids);
        }
        ids.add(SEP);
        return ids.stream().mapToLong(Long::longValue).toArray();
    }

    private static String normalize(String text) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == 0 || cp == 0xfffd || (Character.isISOControl(cp) && cp != '\t' && cp != '\n' && cp != '\r')) {
                continue;
            }
            if (Character.isWhitespace(cp)) {
                b.append(' ');
            } else if (isCjk(cp)) {
                b.append(' ').appendCodePoint(cp).append(' ');
            } else {
                b.appendCodePoint(cp);
            }
        }
        // BertNormalizer with strip_accents unset follows lowercase: lowercasing also strips accents.
        String lower = b.toString().toLowerCase(Locale.ROOT);
        String nfd = Normalizer.normalize(lower, Normalizer.Form.NFD);
        return nfd.replaceAll("\\p{Mn}", "");
    }

    private static boolean isCjk(int cp) {
        return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x20000 && cp <= 0x2A6DF)
                || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x2F800 && cp <= 0x2FA1F);
    }

    private static boolean isPunct(int cp) {
        if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126)) {
            return true;
        }
        int t = Character.getType(cp);
        return t == Character.CONNECTOR_PUNCTUATION || t == Character.DASH_PUNCTUATION || t == Character.START_PUNCTUATION
                || t == Character.END_PUNCTUATION || t == Character.INITIAL_QUOTE_PUNCTUATION
                || t == Character.FINAL_QUOTE_PUNCTUATION || t == Character.OTHER_PUNCTUATION;
    }

    private static List<String> preTokenize(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isWhitespace(cp)) {
                flush(cur, out);
            } else if (isPunct(cp)) {
                flush(cur, out);
                out.add(new String(Character.toChars(cp)));
            } else {
                cur.appendCodePoint(cp);
            }
        }
        flush(cur, out);
        return out;
    }

    private static void flush(StringBuilder cur, List<String> out) {
        if (cur.length() > 0) {
            out.add(cur.toString());
            cur.setLength(0);
        }
    }

    private void wordPiece(String word, List<Long> ids) {
        if (word.length() > 100) {
            ids.add(UNK);
            return;
        }
        List<Long> pieces = new ArrayList<>();
        int start = 0;
        while (start < word.length()) {
            int end = word.length();
            Integer found = null;
            while (start < end) {
                String sub = (start > 0 ? "##" : "") + word.substring(start, end);
                found = vocab.get(sub);
                if (found != null) {
                    break;
                }
                end--;
            }
            if (found == null) {
                ids.add(UNK);
                return;
            }
            pieces.add((long) found);
            start = end;
        }
        ids.addAll(pieces);
    }
}
