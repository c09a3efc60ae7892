/*
 * translit.h: Serbian Latin to Cyrillic, for replies to a Serb who wrote
 * in Cyrillic.  Pure.  Returns g_malloc'ed UTF-8.
 */
#ifndef GUICHET_TRANSLIT_H
#define GUICHET_TRANSLIT_H

/*
 * Serbian Latin text (gajica) in Cyrillic (vukovica): lj nj dž as one
 * letter each.  Words that are not Serbian stay as written: anything with
 * a digit, '@', '/', ':' or a dot inside (addresses, references, times),
 * acronyms (two capitals or more: SPM, ORP, EFTA) and the few foreign
 * words of the templates (fide, subject).
 */
char	*translit_sr_cyrl(const char *latin);

#endif
