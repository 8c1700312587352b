package dev.linea.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CsvDatasetTest {
    @TempDir
    Path dir;

    private Path write(String text) throws IOException {
        Path f = dir.resolve("table.csv");
        Files.writeString(f, text, StandardCharsets.UTF_8);
        return f;
    }

    @Test
    void featuresAreTheNumericColumnsAndClassesTheSortedLabels() throws IOException {
        Path f = write("sepal,species,petal\n1.5,virginica,2\n-3,setosa,4e-1\n 5 ,virginica, .5 \n");
        CsvDataset d = CsvDataset.read(f, "species");
        assertEquals(3, d.size());
        assertEquals(2, d.numFeatures());
        assertEquals(List.of("sepal", "petal"), d.featureNames());
        assertEquals(List.of("setosa", "virginica"), d.classNames());
        Batch all = d.toTensors();
        assertArrayEquals(new int[] {3, 2}, all.inputs().shape());
        assertArrayEquals(new float[] {1.5f, 2, -3, 0.4f, 5, 0.5f}, all.inputs().toFloatArray());
        assertArrayEquals(new float[] {1, 0, 1}, all.targets().toFloatArray());
        Batch b = d.batch(new int[] {2, 1});
        assertArrayEquals(new float[] {5, 0.5f, -3, 0.4f}, b.inputs().toFloatArray());
        assertArrayEquals(new float[] {1, 0}, b.targets().toFloatArray());
        Example e = d.get(1);
        assertArrayEquals(new int[] {2}, e.input().shape());
        assertEquals(0f, e.target().item());
        assertEquals(f + ": 3 rows, 2 features, label 'species' with 2 classes", d.describe());
    }

    @Test
    void theSameRowsInAnotherOrderGiveTheSameClassIndices() throws IOException {
        CsvDataset a = CsvDataset.parse("x,y\n1,b\n2,a\n3,c\n", "a.csv", "y", null);
        CsvDataset b = CsvDataset.parse("x,y\n3,c\n1,b\n2,a\n", "b.csv", "y", null);
        assertEquals(a.classNames(), b.classNames());
        assertEquals(a.label(0), b.label(1));
    }

    @Test
    void quotedFieldsMayHoldCommasQuotesAndLineBreaks() throws IOException {
        CsvDataset d = CsvDataset.parse("\uFEFF\"width, cm\",\"kind\"\r\n\"1.5\",\"a, \"\"big\"\" one\"\r\n2,\"two\nlines\"\r\n\r\n",
                "q.csv", "kind", null);
        assertEquals(List.of("width, cm"), d.featureNames());
        assertEquals(List.of("a, \"big\" one", "two\nlines"), d.classNames());
        assertArrayEquals(new float[] {1.5f, 2}, d.toTensors().inputs().toFloatArray());
    }

    @Test
    void fixedClassNamesGiveTheirIndicesAndRefuseOthers() throws IOException {
        CsvDataset d = CsvDataset.parse("x,y\n1,b\n2,a\n", "t.csv", "y", List.of("b", "a"));
        assertArrayEquals(new float[] {0, 1}, d.toTensors().targets().toFloatArray());
        var e = assertThrows(CsvFormatException.class, () -> CsvDataset.parse("x,y\n1,b\n2,c\n", "t.csv", "y", List.of("a", "b")));
        assertEquals("t.csv:3: column 'y' (2): 'c' is not one of the classes [a, b]", e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            " | table.csv: empty, expected a header row naming the columns",
            "a,b,label | table.csv:1: no column 'species' in the header (columns: a, b, label)",
            "a,species | table.csv: a header but no rows",
            "species\\nx | table.csv:1: only the label column 'species', no feature columns",
            "a,b,species\\n1,2,x\\n3,x | table.csv:3: 2 fields, but the header has 3",
            "a,b,species\\n1,2,x,9 | table.csv:2: 4 fields, but the header has 3",
            "a,b,species\\n1,2,x\\n1,n/a,y | table.csv:3: column 'b' (2): 'n/a' is not a number",
            "a,b,species\\n1,,x | table.csv:2: column 'b' (2): empty cell, expected a number",
            "a,b,species\\nNaN,1,x | table.csv:2: column 'a' (1): 'NaN' is not a number",
            "a,b,species\\n1e39,1,x | table.csv:2: column 'a' (1): 1e39 is beyond float32 (at most 3.4028235E38)",
            "a,b,species\\n1,2, | table.csv:2: column 'species' (3): empty label",
            "a,b,species\\n1,2,\"x | table.csv:2: a quoted field is never closed",
            "a,b,species\\n1,2,x\"y\" | table.csv:2: a quote inside an unquoted field (quote the whole field and double the quotes in it: \"a \"\"b\"\"\")",
            "a,b,species\\n1,2,\"x\"y | table.csv:2: text after a closing quote"})
    void everyMalformedTableIsOneLineNamingTheFileLineAndColumn(String text, String message) throws IOException {
        Path f = write(text == null ? "" : text.replace("\\n", "\n"));
        var e = assertThrows(CsvFormatException.class, () -> CsvDataset.read(f, "species"));
        assertEquals(message.replace("table.csv", f.toString()), e.getMessage());
        assertEquals(f.toString(), e.file());
    }

    @Test
    void aMissingFileADirectoryAndBytesThatAreNotUtf8AreRefused() throws IOException {
        assertThrows(NoSuchFileException.class, () -> CsvDataset.read(dir.resolve("none.csv"), "y"));
        assertEquals(dir + ": is a directory, not a CSV file",
                assertThrows(CsvFormatException.class, () -> CsvDataset.read(dir, "y")).getMessage());
        Path bin = dir.resolve("bin.csv");
        Files.write(bin, new byte[] {'x', ',', 'y', '\n', (byte) 0xC3, (byte) 0x28});
        assertEquals(bin + ": not UTF-8 text", assertThrows(CsvFormatException.class, () -> CsvDataset.read(bin, "y")).getMessage());
    }
}
