/* fuzz_identity.c: two arbitrary texts through the test of what versions have in common:
 * it ends, and gives the same answer whichever text comes first. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "identity.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* Title and text of each side, cut at NUL bytes: title_a NUL text_a NUL title_b NUL
     * text_b. */
    char *copy = malloc(size + 1);
    memcpy(copy, data, size);
    copy[size] = '\0';
    const char *part[4] = {"", "", "", ""};
    size_t n = 0, start = 0;
    for (size_t i = 0; i <= size && n < 4; i++) {
        if (i == size || copy[i] == '\0') {
            copy[i] = '\0';
            part[n++] = copy + start;
            start = i + 1;
        }
    }
    bool ab =
        identity_related(part[0], part[1], strlen(part[1]), part[2], part[3], strlen(part[3]));
    bool ba =
        identity_related(part[2], part[3], strlen(part[3]), part[0], part[1], strlen(part[1]));
    if (ab != ba) abort();
    struct identity_input in = {part[0], part[1], part[2], part[3], NULL};
    struct identity id = identity_of(&in);
    if ((id.kind == IDENTITY_NONE) != (id.key == 0)) abort();
    free(copy);
    return 0;
}
