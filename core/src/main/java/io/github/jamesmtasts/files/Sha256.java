package io.github.jamesmtasts.files;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** The SHA-256 of some bytes as 64 lower-case hex digits: a name that any text maps to, for files and ids. */
public final class Sha256 {
    private Sha256() {
    }

    public static String hex(byte[] bytes) {
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        StringBuilder hex = new StringBuilder(digest.length * 2);
        for (byte b : digest) {
            hex.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return hex.toString();
    }
}
