/* test_timefig.c: durations as the delegate writes and reads them (src/timefig.c). */
#include <glib.h>
#include "tap.h"
#include "timefig.h"
#include "viewfmt.h"

int
main(void)
{
	static const struct { const char *w; long min; } good[] = {
		{ "90", 90 }, { "45min", 45 }, { "45mn", 45 }, { "45m", 45 }, { "1h30", 90 },
		{ "1h", 60 }, { "2H", 120 }, { "1:30", 90 }, { "0:45", 45 }, { "1h30min", 90 },
		{ "1,5h", 90 }, { "1.25h", 75 }, { "2heures", 120 }, { "1h05", 65 },
	};
	static const char *const bad[] = {
		"", "h", "entretien", "1:75", "1h75", "CHI-2026-0001", "1.5", "1x", "-5", "1:3:4",
	};
	static const struct { long min; const char *s; } shown[] = {
		{ 0, "0 min" }, { 45, "45 min" }, { 59, "59 min" }, { 60, "1 h" }, { 270, "4 h 30" },
		{ 65, "1 h 05" }, { 1440, "24 h" },
	};

	for (guint i = 0; i < G_N_ELEMENTS(good); i++) {
		long v = -1;

		ok(timefig_parse_duration(good[i].w, &v) && v == good[i].min,
		    "\"%s\" is %ld minutes (got %ld)", good[i].w, good[i].min, v);
	}
	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		long v = -1;

		ok(!timefig_parse_duration(bad[i], &v), "\"%s\" is no duration", bad[i]);
	}
	for (guint i = 0; i < G_N_ELEMENTS(shown); i++) {
		g_autofree char *s = timefig_duration(shown[i].min);

		is_str(s, shown[i].s, "%ld minutes read \"%s\"", shown[i].min, shown[i].s);
	}
	ok(timefig_field_parse("domaine") == TT_DOMAIN && timefig_field_parse("kind") == TT_KIND &&
	    timefig_field_parse("mois") == TT_MONTH && timefig_field_parse("commune") < 0,
	    "time fields in French and English");
	{
		g_autofree char *a = view_cut_words("Bonjour, je cherche un appartement à Sierre", 30);
		g_autofree char *b = view_cut_words("court", 30);
		g_autofree char *c = view_cut_words("Anticonstitutionnellementissime", 12);

		is_str(a, "Bonjour, je cherche un …", "an excerpt is cut at a word boundary");
		is_str(b, "court", "a short text is kept whole");
		ok(g_str_has_suffix(c, "…") && g_utf8_strlen(c, -1) <= 14,
		    "one long word is still cut (%s)", c);
	}
	return tap_done();
}
