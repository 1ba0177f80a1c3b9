/** JMH benchmarks of the SMTP client against a real Postfix on loopback (README, section "Benchmarks"). */
package io.github.jamesmtasts.benchmarks.smtp;
