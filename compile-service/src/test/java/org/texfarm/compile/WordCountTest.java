package org.texfarm.compile;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WordCountTest {
    @Test
    void readsTheTotalOfAMultiFileCount() {
        String output = """
                File: chapters/one.tex
                Encoding: ascii
                Words in text: 3
                Words in headers: 0
                Words outside text (captions, etc.): 0
                Number of headers: 0
                Number of floats/tables/figures: 0
                Number of math inlines: 0
                Number of math displayed: 0

                File(s) total: main.tex
                Encoding: utf8
                Words in text: 11
                Words in headers: 1
                Words outside text (captions, etc.): 3
                Number of headers: 1
                Number of floats/tables/figures: 1
                Number of math inlines: 2
                Number of math displayed: 1
                (errors:1)
                !!! File not found: missing.tex !!!
                Subcounts:
                  text+headers+captions (#headers/#floats/#inlines/#displayed)
                  11+1+3 (1/1/2/1) _top_
                """;

        assertThat(WordCount.parse(output)).isEqualTo(new WordCount("utf8", 11, 1, 3, 1, 1, 2, 1, 1,
                "!!! File not found: missing.tex !!!\n"));
    }

    @Test
    void anEmptyOrStrangeOutputCountsNothing() {
        assertThat(WordCount.parse("")).isEqualTo(new WordCount("", 0, 0, 0, 0, 0, 0, 0, 0, ""));
        assertThat(WordCount.parse("Words in text: lots\nWords in headers: 99999999999999\n").headWords())
                .isEqualTo(Integer.MAX_VALUE);
    }
}
