package org.texfarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirectoryTest {
    @TempDir
    Path root;

    @Test
    void writesTheLayoutVersionAndKeepsTheInstanceIdAcrossOpens() throws Exception {
        String first;
        try (DataDirectory data = DataDirectory.open(root)) {
            first = data.instanceId();
        }
        try (DataDirectory second = DataDirectory.open(root)) {
            assertThat(root.resolve("layout-version")).hasContent(Integer.toString(DataDirectory.LAYOUT_VERSION));
            assertThat(first).matches("[0-9a-f]{12}").isEqualTo(second.instanceId());
        }
    }

    @Test
    void isOpenToOneServiceAtATime() throws Exception {
        try (DataDirectory open = DataDirectory.open(root)) {
            assertThatThrownBy(() -> DataDirectory.open(root)).isInstanceOf(IllegalStateException.class)
                    .hasMessage("DATA_DIR " + root + " is in use by another compile service (pid "
                            + ProcessHandle.current().pid() + "): stop it, or give this one a DATA_DIR of its own");
            assertThat(open.instanceId()).matches("[0-9a-f]{12}");
        }
        DataDirectory.open(root).close();
    }

    @Test
    void migratesTheFirstLayoutKeepingItsDirectories() throws Exception {
        Files.createDirectories(root.resolve("compiles/p/old"));
        Files.writeString(root.resolve("compiles/p/old/main.tex"), "x");
        Files.writeString(root.resolve("instance-id"), "0123456789ab\n");

        try (DataDirectory data = DataDirectory.open(root)) {
            assertThat(root.resolve("layout-version")).hasContent("2");
            assertThat(data.instanceId()).isEqualTo("0123456789ab");
        }
        assertThat(root.resolve("compiles/p/old/main.tex")).exists();
    }

    @Test
    void refusesALayoutFromANewerVersionAndSaysWhatToDo() throws Exception {
        Files.writeString(root.resolve("layout-version"), "99\n");

        assertThatThrownBy(() -> DataDirectory.open(root)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("layout version 99").hasMessageContaining("newer")
                .hasMessageContaining("DATA_DIR");
        assertThat(root.resolve("layout-version")).hasContent("99");
    }
}
