package io.github.jamesmtasts.smtp;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The message to send, written on demand so that a large message never has to sit whole in the heap.
 * The James adapter implements it over a {@code MimeMessage}.
 */
public interface MessageContent {
    /** The size in octets, for the {@code SIZE} parameter (RFC 1870); an estimate is allowed. */
    long size();

    /** Whether the content has octets above 127 and needs {@code 8BITMIME} (RFC 6152). */
    boolean needs8BitMime();

    /** Whether the envelope or headers carry UTF-8 addresses and need {@code SMTPUTF8} (RFC 6531). */
    boolean needsSmtpUtf8();

    /** Writes the message (headers and body, CRLF line ends, not yet dot-stuffed). May be called more than once. */
    void writeTo(OutputStream out) throws IOException;
}
