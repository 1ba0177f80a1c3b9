/** JMH benchmarks of the MTA-STS decision on a cached policy and of MX matching (README, section "Benchmarks"). */
package io.github.jamesmtasts.benchmarks.policy;
