/* article.c: lifetime of struct article. */
#include "article.h"

#include <stdlib.h>
#include <string.h>

void article_clear(struct article *a)
{
    free(a->title);
    free(a->date);
    free(a->source);
    free(a->byline);
    free(a->url);
    free(a->source_id);
    free(a->lang);
    free(a->meta);
    free(a->text);
    memset(a, 0, sizeof *a);
}
