package org.texfarm.synctex;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a SyncTeX file into page trees the way TeX Live's synctex parser (1.21) does, so that
 * queries on them answer as the {@code synctex} tool does: the same hbox extents, mean lines,
 * line rewrites of boundaries and trailing kerns, and the same tag-and-line index. The file is
 * written inside the sandbox, so it is untrusted: records that do not parse are skipped, as the
 * tool skips them, and size and nesting are bounded.
 */
final class SyncTexReader {
    static final int FRIEND_BUCKETS = 1024;
    /** Deeper than any document TeX can make (its semantic nest holds a few hundred levels). */
    static final int MAX_DEPTH = 1_000;
    /** Longer than any record or file name TeX writes; longer lines are skipped. */
    static final int MAX_LINE = 16 * 1024;

    /** One {@code Input:} record. */
    static final class Input {
        final int tag;
        final String name;
        /** The highest line any record of this input names. */
        int maxLine;

        Input(int tag, String name) {
            this.tag = tag;
            this.name = name;
        }
    }

    private final long maxRecords;
    private final List<Node> sheets = new ArrayList<>();
    private final List<Input> inputs = new ArrayList<>();
    private final Map<Integer, Input> inputsByTag = new HashMap<>();
    private final Node[] friends = new Node[FRIEND_BUCKETS];
    private long records;
    private float unit;
    private float xOffset;
    private float yOffset;
    private int largeBox;

    // The tree being built.
    private Node sheet;
    private Node parent;
    /** Per open box (and the sheet): the x records whose place waits for the next record. */
    private final List<List<Node>> pending = new ArrayList<>();
    private Node lastKern;
    private Node lastGlue;
    private int lastV = -1;

    private SyncTexReader(long maxRecords) {
        this.maxRecords = maxRecords;
    }

    static SyncTex read(Reader source, String compileDirectory, long maxRecords) throws IOException {
        SyncTexReader reader = new SyncTexReader(maxRecords);
        reader.parse(new Lines(source, 2 * maxRecords + 100_000));
        return new SyncTex(reader.sheets, reader.inputs, reader.inputsByTag, reader.friends,
                new SyncTex.Units(reader.unit, reader.xOffset, reader.yOffset, reader.largeBox), compileDirectory, reader.records);
    }

    private void parse(Lines in) throws IOException {
        int preUnit = 8192;
        int preMagnification = 1000;
        int preXOffset = 578;
        int preYOffset = 578;
        boolean inContent = false;
        boolean sawVersion = false;
        for (String line; (line = in.next()) != null; ) {
            if (!sawVersion) {
                sawVersion = line.startsWith("SyncTeX Version:");
                continue;
            }
            if (!inContent) {
                if (line.startsWith("Input:")) {
                    input(line);
                } else if (line.startsWith("Unit:")) {
                    preUnit = headerInt(line, "Unit:", preUnit);
                } else if (line.startsWith("X Offset:")) {
                    preXOffset = headerInt(line, "X Offset:", preXOffset);
                } else if (line.startsWith("Y Offset:")) {
                    preYOffset = headerInt(line, "Y Offset:", preYOffset);
                } else if (line.startsWith("Magnification:")) {
                    preMagnification = headerInt(line, "Magnification:", preMagnification);
                } else if (line.startsWith("Content:")) {
                    inContent = true;
                }
                continue;
            }
            if (line.startsWith("Postamble:")) {
                break;
            }
            if (sheet == null) {
                if (line.startsWith("{")) {
                    startSheet(line);
                } else if (line.startsWith("Input:")) {
                    input(line);
                }
            } else {
                record(line);
            }
        }
        if (!sawVersion) {
            throw new IOException("not a SyncTeX file: no 'SyncTeX Version:' line");
        }
        if (preUnit <= 0) {
            preUnit = 8192;
        }
        if (preMagnification <= 0) {
            preMagnification = 1000;
        }
        // In single precision, as the synctex tool computes page coordinates.
        double bigPointsPerUnit = preUnit / 65781.76;
        unit = (float) bigPointsPerUnit;
        unit = (float) (unit * (preMagnification / 1000.0));
        largeBox = (int) (1_500_000 / (preMagnification / 1000.0));
        xOffset = (float) (preXOffset * bigPointsPerUnit);
        yOffset = (float) (preYOffset * bigPointsPerUnit);
    }

    private static int headerInt(String line, String key, int fallback) {
        try {
            return Integer.parseInt(line.substring(key.length()).trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private void input(String line) {
        int colon = line.indexOf(':', "Input:".length());
        if (colon < 0) {
            return;
        }
        int tag;
        try {
            tag = Integer.parseInt(line.substring("Input:".length(), colon));
        } catch (NumberFormatException e) {
            return;
        }
        String name = line.substring(colon + 1).stripTrailing();
        Input input = new Input(tag, name);
        inputs.add(input);
        inputsByTag.put(tag, input);
    }

    private void startSheet(String line) throws IOException {
        Node node = newNode(Node.Type.SHEET);
        Cursor cursor = new Cursor(line, 1);
        node.page = cursor.nextInt();
        if (node.page == Cursor.FAILED) {
            return;
        }
        sheets.add(node);
        sheet = node;
        parent = node;
        pending.clear();
        pending.add(new ArrayList<>());
        lastKern = null;
        lastGlue = null;
    }

    private void record(String line) throws IOException {
        if (line.isEmpty()) {
            return;
        }
        char kind = line.charAt(0);
        Node.Type type = switch (kind) {
            case '[' -> Node.Type.VBOX;
            case '(' -> Node.Type.HBOX;
            case 'v' -> Node.Type.VOID_VBOX;
            case 'h' -> Node.Type.VOID_HBOX;
            case 'k' -> Node.Type.KERN;
            case 'g' -> Node.Type.GLUE;
            case 'r' -> Node.Type.RULE;
            case '$' -> Node.Type.MATH;
            case 'x' -> Node.Type.BOUNDARY;
            default -> null;
        };
        if (type != null) {
            Node node = parseNode(type, line);
            if (node != null) {
                add(node);
            }
            return;
        }
        switch (kind) {
            case ']' -> {
                if (parent.type == Node.Type.VBOX) {
                    closeVbox();
                }
            }
            case ')' -> {
                if (parent.type == Node.Type.HBOX) {
                    closeHbox();
                }
            }
            case '}' -> {
                if (parent == sheet) {
                    sheet = null;
                    parent = null;
                }
            }
            default -> {
                // Anchors (!), characters (c), forms (<, >, f) and anything else: no node, as in the tool for plain TeX output.
            }
        }
    }

    /** The node of one record, or null when the record does not parse (the tool ignores it too). */
    private Node parseNode(Node.Type type, String line) {
        Cursor cursor = new Cursor(line, 1);
        Node node = new Node(type);
        node.tag = cursor.nextInt();
        node.line = cursor.nextInt();
        if (node.line == Cursor.FAILED || node.tag == Cursor.FAILED) {
            return null;
        }
        node.column = cursor.optionalColumn();
        node.h = cursor.nextInt();
        node.v = cursor.nextV(lastV);
        if (node.h == Cursor.FAILED || node.v == Cursor.FAILED) {
            return null;
        }
        lastV = node.v;
        switch (type) {
            case VBOX, HBOX, VOID_VBOX, VOID_HBOX, RULE -> {
                node.width = cursor.nextInt();
                node.height = cursor.nextInt();
                node.depth = cursor.nextInt();
                if (node.width == Cursor.FAILED || node.height == Cursor.FAILED || node.depth == Cursor.FAILED) {
                    return null;
                }
            }
            case KERN -> {
                node.width = cursor.nextInt();
                if (node.width == Cursor.FAILED) {
                    return null;
                }
            }
            default -> {
            }
        }
        return node;
    }

    private void add(Node node) throws IOException {
        count();
        registerLine(node);
        boolean kern = node.type == Node.Type.KERN;
        boolean glueAfterKern = node.type == Node.Type.GLUE && lastKern != null;
        Node previous = parent.lastChild;
        parent.append(node);
        switch (node.type) {
            case VBOX -> open(node);
            case HBOX -> {
                node.visibleH = node.h;
                node.visibleV = node.v;
                node.visibleWidth = node.width;
                node.visibleHeight = node.height;
                node.visibleDepth = node.depth;
                open(node);
                Node start = newNode(Node.Type.BOX_BOUNDARY);
                start.copyPlaceFrom(node);
                start.h = node.h;
                start.v = node.v;
                node.append(start);
                befriend(start);
            }
            case BOUNDARY -> {
                containPoint(parent, node.h, node.v);
                List<Node> waiting = pending.getLast();
                if ((previous != null && previous.type == Node.Type.BOX_BOUNDARY) || !waiting.isEmpty()) {
                    waiting.add(node);
                } else {
                    befriend(node);
                }
            }
            default -> {
                switch (node.type) {
                    case GLUE, MATH -> containPoint(parent, node.h, node.v);
                    case KERN -> containKern(parent, node);
                    case VOID_HBOX -> containRecordedBox(parent, node);
                    default -> {
                    }
                }
                if (node.type != Node.Type.VOID_HBOX && node.type != Node.Type.VOID_VBOX) {
                    befriend(node);
                }
                placePending(pending.getLast(), node);
            }
        }
        lastKern = kern ? node : glueAfterKern ? lastKern : null;
        lastGlue = glueAfterKern ? node : null;
    }

    private void open(Node box) throws IOException {
        if (pending.size() > MAX_DEPTH) {
            throw new IOException("boxes nested deeper than " + MAX_DEPTH);
        }
        parent = box;
        pending.add(new ArrayList<>());
    }

    private void closeVbox() {
        Node vbox = parent;
        if (vbox.firstChild == null) {
            befriend(vbox);
        }
        close(vbox);
    }

    private void closeHbox() throws IOException {
        Node hbox = parent;
        hbox.nextHbox = sheet.nextHbox;
        sheet.nextHbox = hbox;

        Node start = hbox.firstChild;
        Node second = start.next;
        if (second != null) {
            start.line = second.line;
            long weight = 0;
            long sum = 0;
            for (Node child = second; child != null; child = child.next) {
                if (child.type == Node.Type.HBOX && child.weight != 0) {
                    weight += child.weight;
                    sum += (long) child.meanLine * child.weight;
                } else if (child.type == Node.Type.HBOX) {
                    weight += 1;
                    sum += child.meanLine;
                } else {
                    weight += 1;
                    sum += child.line;
                }
            }
            hbox.meanLine = (int) ((sum + weight / 2) / weight);
            hbox.weight = (int) Math.min(Integer.MAX_VALUE, weight);
        } else {
            hbox.meanLine = hbox.line;
            hbox.weight = 1;
        }
        Node last = hbox.lastChild;
        Node end = newNode(Node.Type.BOX_BOUNDARY);
        end.copyPlaceFrom(last);
        end.h = hbox.visibleH + hbox.visibleWidth;
        end.v = hbox.visibleV;
        hbox.append(end);
        start.h = hbox.visibleH;
        start.v = hbox.visibleV;

        if (lastKern != null && lastGlue != null) {
            for (Node child = hbox.firstChild; child != null; child = child.next) {
                if (child.next == lastKern) {
                    lastKern.copyPlaceFrom(child);
                    lastGlue.copyPlaceFrom(child);
                    break;
                }
            }
        }
        close(hbox);
        containVisibleBox(parent, hbox);
    }

    /** Leaves the box: its own waiting x records keep their place; its parent's take the box's. */
    private void close(Node box) {
        for (Node waiting : pending.removeLast().reversed()) {
            befriend(waiting);
        }
        parent = box.parent;
        placePending(pending.getLast(), box);
        lastKern = null;
        lastGlue = null;
    }

    /** Gives the waiting x records the place of the record that follows them. */
    private void placePending(List<Node> waiting, Node model) {
        for (Node node : waiting.reversed()) {
            node.copyPlaceFrom(model);
            befriend(node);
        }
        waiting.clear();
    }

    private void befriend(Node node) {
        int key = node.tag + node.line;
        if (key >= 0) {
            int bucket = key % FRIEND_BUCKETS;
            node.friend = friends[bucket];
            friends[bucket] = node;
        }
    }

    private void registerLine(Node node) {
        Input input = inputsByTag.get(node.tag);
        if (input != null && node.line > input.maxLine) {
            input.maxLine = node.line;
        }
    }

    private Node newNode(Node.Type type) throws IOException {
        count();
        return new Node(type);
    }

    private void count() throws IOException {
        if (++records > maxRecords) {
            throw new IOException("more than " + maxRecords + " records");
        }
    }

    // How an hbox's visible extent grows to cover its contents; a no-op in other parents.

    private static void containPoint(Node box, int h, int v) {
        containBox(box, h, v, h, v);
    }

    private static void containKern(Node box, Node kern) {
        if (kern.width > 0) {
            containBox(box, kern.h - kern.width, kern.v, kern.h, kern.v);
        } else {
            containBox(box, kern.h, kern.v, kern.h - kern.width, kern.v);
        }
    }

    private static void containRecordedBox(Node box, Node child) {
        int minH = child.width < 0 ? child.h + child.width : child.h;
        int maxH = child.width < 0 ? child.h : child.h + child.width;
        containBox(box, minH, child.v - child.height, maxH, child.v + child.depth);
    }

    private static void containVisibleBox(Node box, Node hbox) {
        int minH = hbox.visibleWidth < 0 ? hbox.visibleH + hbox.visibleWidth : hbox.visibleH;
        int maxH = hbox.visibleWidth < 0 ? hbox.visibleH : hbox.visibleH + hbox.visibleWidth;
        containBox(box, minH, hbox.visibleV - hbox.visibleHeight, maxH, hbox.visibleV + hbox.visibleDepth);
    }

    /** As the tool: a box sticking out on both sides of an axis grows on the low side only. */
    private static void containBox(Node box, int minH, int minV, int maxH, int maxV) {
        if (box.type != Node.Type.HBOX) {
            return;
        }
        int width = box.visibleWidth;
        if (width < 0) {
            int max = box.visibleH;
            int min = max + width;
            if (minH < min) {
                box.visibleWidth = minH - max;
            } else if (maxH > max) {
                box.visibleH = maxH;
                box.visibleWidth = min - maxH;
            }
        } else {
            int min = box.visibleH;
            int max = min + width;
            if (minH < min) {
                box.visibleH = minH;
                box.visibleWidth = max - minH;
            } else if (maxH > max) {
                box.visibleWidth = maxH - min;
            }
        }
        int v = box.visibleV;
        if (minV < v - box.visibleHeight) {
            box.visibleHeight = v - minV;
        } else if (maxV > v + box.visibleDepth) {
            box.visibleDepth = maxV - v;
        }
    }

    /** The file's lines, each cut at {@link #MAX_LINE}, and at most so many. */
    private static final class Lines {
        private final Reader in;
        private final long maxLines;
        private final char[] buffer = new char[64 * 1024];
        private final StringBuilder line = new StringBuilder();
        private int at;
        private int end;
        private long read;

        Lines(Reader in, long maxLines) {
            this.in = in;
            this.maxLines = maxLines;
        }

        String next() throws IOException {
            line.setLength(0);
            if (at == end && !fill()) {
                return null;
            }
            if (++read > maxLines) {
                throw new IOException("more than " + maxLines + " lines");
            }
            while (true) {
                int start = at;
                while (at < end && buffer[at] != '\n') {
                    at++;
                }
                line.append(buffer, start, Math.min(at - start, Math.max(0, MAX_LINE - line.length())));
                if (at < end) {
                    at++;
                    return line.toString();
                }
                if (!fill()) {
                    return line.toString();
                }
            }
        }

        private boolean fill() throws IOException {
            int count = in.read(buffer);
            at = 0;
            end = Math.max(0, count);
            return count > 0;
        }
    }

    /** Reads the numbers of one record as the tool does: each after one optional ':' or ','. */
    private static final class Cursor {
        static final int FAILED = Integer.MIN_VALUE;

        private final String line;
        private int at;

        Cursor(String line, int at) {
            this.line = line;
            this.at = at;
        }

        int nextInt() {
            int start = at;
            if (start < line.length() && (line.charAt(start) == ':' || line.charAt(start) == ',')) {
                start++;
            }
            while (start < line.length() && Character.isWhitespace(line.charAt(start))) {
                start++;
            }
            int end = start;
            if (end < line.length() && (line.charAt(end) == '-' || line.charAt(end) == '+')) {
                end++;
            }
            int digits = end;
            while (end < line.length() && end - digits < 10 && Character.isDigit(line.charAt(end))) {
                end++;
            }
            if (end == digits || (end < line.length() && Character.isDigit(line.charAt(end)))) {
                return FAILED;
            }
            long value = Long.parseLong(line, start, end, 10);
            if (value > Integer.MAX_VALUE || value <= FAILED) {
                return FAILED;
            }
            at = end;
            return (int) value;
        }

        /** A column only when written as tag,line,column; -1 otherwise. */
        int optionalColumn() {
            if (at < line.length() && line.charAt(at) == ',') {
                int column = nextInt();
                return column == FAILED ? -1 : column;
            }
            return -1;
        }

        /** A vertical position, or ",=" for the previous record's. */
        int nextV(int previous) {
            int value = nextInt();
            if (value == FAILED && line.startsWith(",=", at)) {
                at += 2;
                return previous;
            }
            return value;
        }
    }
}
