package org.texfarm.synctex;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The SyncTeX data of one build, read once and then queried both ways without any container:
 * source line to PDF boxes ({@link #boxesFor}) and PDF point to source lines ({@link #sourceAt}).
 * Answers agree with TeX Live's {@code synctex view} and {@code synctex edit}. Immutable after
 * reading, so queries may run concurrently.
 */
public final class SyncTex {
    /** Big points per unit of the file, the page origin's offset, and the tool's "large box" bound. */
    record Units(float unit, float xOffset, float yOffset, int largeBox) {
    }

    private final List<Node> sheets;
    private final Map<Integer, SyncTexReader.Input> inputsByTag;
    /** Project files by path relative to the project: the last declared input of that name. */
    private final Map<String, SyncTexReader.Input> projectInputs = new HashMap<>();
    private final Node[] friends;
    private final Units units;
    private final String compileDirectory;
    private final long size;

    SyncTex(List<Node> sheets, List<SyncTexReader.Input> inputs, Map<Integer, SyncTexReader.Input> inputsByTag,
            Node[] friends, Units units, String compileDirectory, long size) {
        this.sheets = List.copyOf(sheets);
        this.inputsByTag = Map.copyOf(inputsByTag);
        this.friends = friends;
        this.units = units;
        this.compileDirectory = compileDirectory;
        this.size = size;
        for (SyncTexReader.Input input : inputs) {
            String path = projectPath(input.name);
            if (path != null) {
                projectInputs.put(path, input);
            }
        }
    }

    /**
     * Reads an uncompressed SyncTeX file.
     *
     * @param compileDirectory where the project's files were when TeX ran; inputs under it are the
     *                         project's, named relative to it
     * @param maxRecords       a bound on the file's records, so that a hostile file cannot take
     *                         the service's memory
     * @throws IOException when it cannot be read, is not SyncTeX, or is over the bound
     */
    public static SyncTex read(InputStream in, String compileDirectory, long maxRecords) throws IOException {
        return SyncTexReader.read(new InputStreamReader(in, StandardCharsets.UTF_8), compileDirectory, maxRecords);
    }

    /** How many records it holds: a measure of the memory it takes. */
    public long size() {
        return size;
    }

    /**
     * The PDF boxes typeset from a line of a project file, as {@code synctex view} finds them
     * (trying the nearest lines when that one made nothing), without repeats. Empty when the file
     * was not part of the compile. Like the tool, it has no use for a column: TeX records none.
     */
    public List<PdfBox> boxesFor(String file, int line) {
        SyncTexReader.Input input = projectInputs.get(file);
        if (input == null) {
            return List.of();
        }
        LinkedHashSet<PdfBox> boxes = new LinkedHashSet<>();
        for (Node node : DisplayQuery.find(friends, input.tag, input.maxLine, line)) {
            boxes.add(box(node));
        }
        return List.copyOf(boxes);
    }

    /**
     * The source lines that made what is at a point of a page, as {@code synctex edit} finds them,
     * leaving out places in files outside the project (TeX Live's own classes and packages).
     */
    public List<SourcePosition> sourceAt(int page, double h, double v) {
        List<SourcePosition> positions = new ArrayList<>();
        float x = (float) h;
        float y = (float) v;
        int hitH = (int) ((x - units.xOffset()) / units.unit());
        int hitV = (int) ((y - units.yOffset()) / units.unit());
        for (Node node : EditQuery.find(sheet(page), hitH, hitV)) {
            SyncTexReader.Input input = inputsByTag.get(node.tag);
            String path = input == null ? null : projectPath(input.name);
            if (path != null) {
                positions.add(new SourcePosition(path, node.line, node.column));
            }
        }
        return List.copyOf(positions);
    }

    private Node sheet(int page) {
        for (Node sheet : sheets) {
            if (sheet.page == page) {
                return sheet;
            }
        }
        return page == 0 && !sheets.isEmpty() ? sheets.getFirst() : null;
    }

    /** The box the tool shows for a node: its enclosing line, widened to the enclosing hbox of the same lines. */
    private PdfBox box(Node node) {
        Node box = visibleBox(node);
        float unit = units.unit();
        if (box == null) {
            return new PdfBox(node.page(), 0, 0, 0, 0);
        }
        float h = (float) box.visibleHOrRecorded() * unit + units.xOffset();
        float depth = (float) box.visibleDepthOrRecorded() * unit;
        float v = (float) box.visibleVOrRecorded() * unit + units.yOffset() + depth;
        float width = (float) box.visibleWidthOrRecorded() * unit;
        float height = (float) box.visibleHeightOrRecorded() * unit + depth;
        return new PdfBox(node.page(), printed(h), printed(v), printed(width), printed(height));
    }

    private Node visibleBox(Node node) {
        Node box = node;
        if (!box.type.isBox()) {
            if (box.parent == null) {
                return null;
            }
            box = box.parent;
        }
        int mean = box.meanLine();
        for (Node ancestor = box.parent; ancestor != null; ancestor = ancestor.parent) {
            if (ancestor.type == Node.Type.HBOX || ancestor.type == Node.Type.VOID_HBOX) {
                if (Math.abs(mean - ancestor.meanLine()) > 1) {
                    return box;
                }
                if (ancestor.width > units.largeBox() || ancestor.height + ancestor.depth > units.largeBox()) {
                    return ancestor;
                }
                box = ancestor;
            }
        }
        return box;
    }

    /** The value the tool prints: the float's exact value to 6 decimals, ties to even, as C's printf. */
    private static double printed(float value) {
        return new BigDecimal(value).setScale(6, RoundingMode.HALF_EVEN).doubleValue();
    }

    /** The project path of an input TeX read, or null when it is not under the compile directory. */
    private String projectPath(String name) {
        String prefix = compileDirectory + "/";
        if (!name.startsWith(prefix)) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        for (String part : name.substring(prefix.length()).split("/")) {
            if (part.equals("..")) {
                return null;
            }
            if (!part.isEmpty() && !part.equals(".")) {
                parts.add(part);
            }
        }
        return parts.isEmpty() ? null : String.join("/", parts);
    }
}
