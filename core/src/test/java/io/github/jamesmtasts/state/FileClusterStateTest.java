package io.github.jamesmtasts.state;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

class FileClusterStateTest extends ClusterStateContract {
    @TempDir
    Path directory;

    @Override
    ClusterState open() throws Exception {
        return new FileClusterState(directory, CLOCK);
    }
}
