package io.github.jamesmtasts.delivery;

import java.util.Map;

/** The human-readable part of a bounce: which recipients failed, and why, in words and in codes (RFC 3464 style). */
public final class BounceNotice {
    private BounceNotice() {
    }

    /**
     * The explanation for the sender.
     *
     * @param serverName the name this server gives itself (its HELO name)
     * @param failed the recipients returned and why, in order
     * @param retriesMade how many retries were made before giving up
     */
    public static String explanation(String serverName, Map<String, DeliveryProblem> failed, int retriesMade) {
        StringBuilder text = new StringBuilder()
            .append("Hi. This is the James mail server at ").append(serverName).append(".\n")
            .append("I could not deliver your message to the following recipients.\n")
            .append("This is a permanent error; I have given up")
            .append(retriesMade == 0 ? "" : " after " + retriesMade + (retriesMade == 1 ? " retry" : " retries"))
            .append(".\n\n");
        failed.forEach((recipient, problem) -> {
            text.append(recipient).append('\n')
                .append("    Status: ").append(problem.enhancedStatus(true)).append('\n')
                .append("    Reason: ").append(problem.detail()).append('\n');
            problem.reply().ifPresent(reply -> text.append("    Remote server said: ").append(reply).append('\n'));
            problem.failure().ifPresent(failure -> text
                .append(problem.cause() == DeliveryProblem.Cause.DANE
                    ? "    DANE: the MX hosts' TLSA records (RFC 7672) require TLS with a certificate that matches them,\n"
                    : "    MTA-STS: the recipient domain's policy (RFC 8461) requires verified TLS to the MX hosts it lists,\n")
                .append("    and none could be reached that way.\n")
                .append("    TLS-RPT result type: ").append(failure.type().code())
                .append(failure.reasonCode().map(code -> " (" + code + ")").orElse("")).append('\n'));
            text.append('\n');
        });
        return text.toString();
    }
}
