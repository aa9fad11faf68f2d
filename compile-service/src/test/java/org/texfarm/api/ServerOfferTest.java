package org.texfarm.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.texfarm.config.ServiceConfig;
import org.texfarm.sandbox.ImageDescription;

class ServerOfferTest {

    @Test
    void listsTheCompilersTheGroupsWithTheirImagesEachImagesTexLiveYearAndTheAliases() {
        ServiceConfig config = ServiceConfig.fromEnvironment(Map.of("DATA_DIR", "/tmp/unused",
                "ALLOWED_IMAGES", "texlive-sandbox:trixie",
                "COMPILE_GROUP_PRIORITY_IMAGES", "texlive-sandbox:trixie",
                "COMPILE_GROUP_PRIORITY_SHELL_ESCAPE", "true",
                "COMPILE_GROUP_PRIORITY_RUNTIME", "runsc",
                "IMAGE_ALIASES", "quay.io/sharelatex/texlive-full:2024.1=texlive-sandbox:trixie,quay.io/sharelatex/*=texlive-sandbox:bookworm"));
        List<ImageDescription> images = List.of(
                new ImageDescription("texlive-sandbox:bookworm", Optional.of("2022"), Optional.of("bookworm"), Map.of("latexmk", "4.79")),
                new ImageDescription("texlive-sandbox:trixie", Optional.of("2024"), Optional.of("trixie"), Map.of()));

        JsonObject offer = ServerOffer.of(config, images);

        assertThat(offer.getJsonArray("compilers")).containsExactly("pdflatex", "latex", "xelatex", "lualatex");
        assertThat(offer.getString("defaultGroup")).isEqualTo("standard");
        assertThat(offer.getString("defaultImage")).isEqualTo("texlive-sandbox:bookworm");
        JsonArray groups = offer.getJsonArray("groups");
        assertThat(groups.getJsonObject(0).getString("name")).isEqualTo("standard");
        assertThat(groups.getJsonObject(0).getJsonArray("images")).containsExactly("texlive-sandbox:bookworm", "texlive-sandbox:trixie");
        assertThat(groups.getJsonObject(0).getString("shellEscape")).isEqualTo("restricted");
        assertThat(groups.getJsonObject(0).getString("runtime")).isEqualTo("runc");
        JsonObject priority = groups.getJsonObject(1);
        assertThat(priority.getJsonArray("images")).containsExactly("texlive-sandbox:trixie");
        assertThat(priority.getString("defaultImage")).isEqualTo("texlive-sandbox:trixie");
        assertThat(priority.getString("shellEscape")).isEqualTo("full");
        assertThat(priority.getString("runtime")).isEqualTo("runsc");
        assertThat(priority.getJsonObject("timeoutSeconds").getLong("max")).isPositive();
        JsonObject trixie = offer.getJsonArray("images").getJsonObject(1);
        assertThat(trixie.getString("texliveYear")).isEqualTo("2024");
        assertThat(trixie.getString("debianRelease")).isEqualTo("trixie");
        assertThat(offer.getJsonArray("images").getJsonObject(0).getJsonObject("tools").getString("latexmk")).isEqualTo("4.79");
        assertThat(offer.getJsonArray("imageAliases")).containsExactly(
                new JsonObject().put("name", "quay.io/sharelatex/texlive-full:2024.1").put("image", "texlive-sandbox:trixie"),
                new JsonObject().put("name", "quay.io/sharelatex/*").put("image", "texlive-sandbox:bookworm"));
    }
}
