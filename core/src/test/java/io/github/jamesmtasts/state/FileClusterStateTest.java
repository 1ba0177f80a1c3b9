package io.github.jamesmtasts.state;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;

class FileClusterStateTest extends ClusterStateContract {
    @TempDir
    Path directory;

    @Override
    ClusterState open(Clock clock) throws Exception {
        return new FileClusterState(directory, clock);
    }
}
