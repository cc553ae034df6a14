/* test_title.c: the title made from a text, and telling it from a title of the text's own
 * when only the stored text is left. */
#include "check.h"
#include "title.h"

/* title_is_from_text on NUL-terminated strings. */
static bool from_text(const char *title, const char *text)
{
    return title_is_from_text(title, strlen(title), text, strlen(text));
}

static void test_from_line(void)
{
    static char line[300];
    /* Up to 120 bytes: the whole line. */
    memset(line, 'a', 120);
    line[120] = '\0';
    CHECK_INT(title_from_line(line, 120), 120);
    CHECK_INT(title_from_line("Grain exports rose", 18), 18);
    /* Longer: cut after the last whole word within 120 bytes, the space at byte 120
     * included in what may be cut at. */
    memset(line, 'w', 200);
    line[50] = line[100] = ' ';
    CHECK_INT(title_from_line(line, 200), 100);
    line[120] = ' ';
    CHECK_INT(title_from_line(line, 200), 120);
    line[120] = 'w';
    line[121] = ' ';
    CHECK_INT(title_from_line(line, 200), 100);
    /* No space: between characters, never inside one. */
    memset(line, 'x', 200);
    CHECK_INT(title_from_line(line, 200), 120);
    for (size_t i = 0; i + 2 <= 200; i += 2)
        memcpy(line + i, "\xC3\xA9", 2); /* é é é ...: byte 120 starts an é */
    CHECK_INT(title_from_line(line, 200), 120);
    memmove(line + 1, line, 199);
    line[0] = 'x'; /* x é é ...: byte 120 is the second byte of an é */
    CHECK_INT(title_from_line(line, 200), 119);
}

static void test_from_text(void)
{
    /* A title made from a first line that is a paragraph of its own, or the whole text. */
    CHECK(from_text("Grain exports rose", "Grain exports rose\n\nThe port opened."));
    CHECK(from_text("Grain exports rose", "Grain exports rose"));
    /* A title of the record's own: other words, a word more or less, or only the start of
     * the first line (a headline repeated as the first words of a longer paragraph). */
    CHECK(!from_text("Port opens", "Grain exports rose\n\nThe port opened."));
    CHECK(!from_text("Grain exports", "Grain exports rose\n\nThe port opened."));
    CHECK(!from_text("Beauty", "Beauty versus the World"));
    CHECK(!from_text("Grain exports rose.", "Grain exports rose\n\nMore."));
    CHECK(!from_text("", "Grain exports rose"));
    CHECK(!from_text("", ""));
    /* A long first line: the title is its words that fit in 120 bytes. */
    char text[400], title[200];
    snprintf(text, sizeof text, "%s",
             "Exports of grain from the southern ports rose for a third month in a row as ships "
             "sailed again after the talks on the corridor ended in a deal\n\nSecond paragraph.");
    size_t n = title_from_line(text, strchr(text, '\n') - text);
    CHECK(n <= TITLE_FROM_TEXT_BYTES && text[n] == ' ');
    snprintf(title, sizeof title, "%.*s", (int)n, text);
    CHECK(from_text(title, text));
    /* The start of the text is enough: 121 bytes tell what the whole text tells. */
    CHECK(title_is_from_text(title, n, text, TITLE_FROM_TEXT_BYTES + 1));
    title[n - 1] = '\0'; /* a byte short */
    CHECK(!from_text(title, text));
    /* A title longer than any made from a text, even when it is the first line. */
    memset(text, 'z', 130);
    text[130] = '\0';
    CHECK(!from_text(text, text));
}

int main(void)
{
    test_from_line();
    test_from_text();
    return check_report("test_title");
}
