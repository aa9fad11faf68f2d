package org.texfarm.compile;

import java.nio.file.Path;
import java.util.function.LongSupplier;
import org.texfarm.ProjectKey;
import org.texfarm.output.BuildStore;
import org.texfarm.output.PdfChunks;
import org.texfarm.sync.ContentStore;
import org.texfarm.sync.ProjectStates;
import org.texfarm.sync.ProjectSync;
import org.texfarm.sync.UrlCache;

/**
 * Everything the service keeps on disk for projects.
 *
 * @param compilesRoot where compile directories live
 * @param sync         fills them
 * @param states       what is known of each project between requests
 * @param store        the content every project sent, once
 * @param urls         downloads by URL
 * @param builds       the outputs of compiles
 * @param pdfChunks    the byte ranges of their PDFs, for Overleaf's viewer
 * @param scratch      working directories of background jobs, on the same disk
 * @param freeBytes    free space on the data directory's disk, as it is now
 */
public record Storage(Path compilesRoot, ProjectSync sync, ProjectStates states, ContentStore store, UrlCache urls,
                      BuildStore builds, PdfChunks pdfChunks, Path scratch, LongSupplier freeBytes) {

    public Path compileDirectory(ProjectKey project) {
        return compilesRoot.resolve(project.relativeDirectory());
    }
}
