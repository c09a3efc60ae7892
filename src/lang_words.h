/*
 * lang_words.h: word lists of lang.c (private to it).  Lower case; a
 * word belongs to a list when it is frequent in that language and rare in
 * the others that score near it.
 */
#ifndef GUICHET_LANG_WORDS_H
#define GUICHET_LANG_WORDS_H

/*
 * Frequent short words that only one plausible language writes: on a
 * subject and two sentences the n-gram scores of neighbours (es/pt,
 * hr/sl, tr/es) lie within a few percent, and these words decide.
 */
struct stopwords {
	const char	*code;		/* "hbs": Serbian/Croatian/Bosnian */
	const char	*words;
};
static const struct stopwords stopwords[] = {
	{ "fr", "le les est et je vous nous pour avec dans une du mon mes suis "
	    "avez merci bonjour où au aux cette mais aussi très ai c'est elle beaucoup "
	    "ils leur pas qui j qu c n bonsoir madame monsieur votre notre "
	    "suisse cordialement salutations meilleures voudrais aimerais" },
	{ "de", "ich und der die das ist nicht mit für ein eine einen meine "
	    "mein sie wir haben habe bin auch kann wie wo bitte danke guten "
	    "tag grüezi zu von auf dem den sich oder aber noch gibt ihnen vielen vielmal dank herzlichen "
	    "freundliche grüsse grüße möchte schweiz ihr ihre gerne" },
	{ "it", "il di che per non sono ho della alla con gli è buongiorno "
	    "grazie mio mia vorrei dove anche questo molto ciao salve "
	    "buonasera perché ancora posso devo cerco abito sua suo nel "
	    "svizzera cordiali saluti distinti gentile vorremmo sapere" },
	{ "pt", "não com uma meu minha eu você obrigado obrigada olá estou "
	    "tenho é os dos das em ao à está são também muito mas há isso "
	    "filho filha preciso gostaria posso boa bom dia tarde "
	    "suíça suica cumprimentos atenciosamente senhor senhora "
	    "pra fazer" },
	{ "es", "el los las del y es estoy tengo mis hola gracias buenos "
	    "buenas días dias favor puedo quiero necesito hijo hija también "
	    "muy pero donde dónde yo usted hay soy al sin ayuda cómo "
	    "suiza quisiera traer hacer puede pueden señor señora "
	    "estimado estimada saludos atentamente muchas" },
	{ "en", "the and to of i my is for you we are have has can with this "
	    "that please thanks thank hello hi would could where how what "
	    "there your be will am need want dear "
	    "switzerland regards sincerely kind very much" },
	{ "sq", "të në dhe një për është unë jam nga që nuk kam ju "
	    "faleminderit përshëndetje pershendetje mirëdita miredita shumë "
	    "shume dua mund çfarë cfare apo edhe tim time jetoj kur nëse "
	    "duhet mirë mire nje per eshte ndihmë ndihme" },
	{ "hbs", "sam li mogu kako gde gdje hvala molim dobar zdravo poštovani "
	    "postovani pozdrav trebam imam nije smo ste što šta tko koji "
	    "koja kad kada ovdje ovde jer unaprijed unapred pomoć pomoc "
	    "treba moj moja moje bih biste bismo ću će ćemo želim zelim "
	    "djeca deca dijete dete imamo moramo možemo mozemo nemamo rekao "
	    "rekla kod oko nakon još jos bio bila kao naš naša vaš vaša" },
	{ "tr", "ve bir bu için icin ile ben değil degil var çok cok nasıl "
	    "nasil teşekkür tesekkur merhaba iyi günler gunler lütfen lutfen "
	    "ama benim bana nerede nereye istiyorum ediyorum yardım yardim "
	    "kadar sonra şimdi simdi hangi olarak gibi daha mı musunuz "
	    "misiniz ederim" },
	{ "so", "waa iyo oo aan waxaan mahadsanid salaan ayaa baan inaan karaa "
	    "sidee xaggee hadlaa caawimaad walaal haa" },
	{ "ro", "și este în pentru cu sunt mulțumesc multumesc bună buna ziua "
	    "vă pot unde care să acest aceasta doresc vreau ajutor" },
	{ "pl", "się nie jest że dziękuję dziekuje dzień czy jak gdzie mam "
	    "jestem proszę prosze bardzo chciałabym chciałbym mogę moge "
	    "oraz który która" },
	{ "nl", "het een van ik niet voor met dank wel zijn hebben heb waar hoe "
	    "wat goedendag graag mijn ook maar naar dat uw bedankt" },
	{ "rm", "jau nua grazia fitg bun ed cun sco tge nus vus ina dal dals "
	    "ils èsser essan vegnir pudess emprender" },
	{ "sl", "sem kje lahko kot tudi prosim pomoč zelo dober jaz ki otrok "
	    "otroka vrtec nekaj" },
	{ "ku", "ez û ji li bi dixwazim spas silav min ye kurdî zimanê hîn "
	    "dikarim çawa çi kengê alîkarî zarok xwe jî heye nîne gelek" },
	{ "tl", "ang ng mga po ako salamat ninyo kayo namin pwede paano saan "
	    "magandang araw hindi nang lang" },
};
#define NSTOP	G_N_ELEMENTS(stopwords)

#endif
