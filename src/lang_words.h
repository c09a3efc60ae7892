/*
 * lang_words.h: word lists of lang.c (private to it).  Lower case; a
 * word belongs to a list when it is frequent in that language and rare in
 * the others that score near it.  A word may be in two lists (it counts
 * for both); words that two near languages share are left out of both
 * (que: es/pt/fr, ne: fr/hbs, ali: hbs/sl, sa: hbs/ro).
 */
#ifndef GUICHET_LANG_WORDS_H
#define GUICHET_LANG_WORDS_H

/*
 * Frequent short words that only one plausible language writes: on a
 * subject and two sentences the n-gram scores of neighbours (es/pt,
 * hr/sl, tr/es) lie within a few percent, and these words decide.
 * The last lists are languages written in Latin letters by people whose
 * script is another (Arabic "3andi", Persian "mikhaham", Russian
 * "spasibo", Ukrainian "dyakuyu", Tigrinya "yekenyeley"): no fingerprint,
 * the words alone decide (three of them at least).
 */
struct stopwords {
	const char	*code;		/* "hbs": Serbian/Croatian/Bosnian */
	const char	*words;
};
static const struct stopwords stopwords[] = {
	{ "fr", "le les est et je vous nous pour avec dans une du mon mes suis "
	    "avez merci bonjour où au aux cette mais aussi très ai c'est elle "
	    "beaucoup ils leur pas qui j qu c n bonsoir madame monsieur votre "
	    "notre suisse cordialement salutations meilleures voudrais aimerais "
	    "des sur comment quand pourquoi chez besoin aide demain depuis peux "
	    "pouvez veux svp stp slt bjr jai cest moi enfants mari fille fils "
	    "voici reçu recu lettre renseignements" },
	{ "de", "ich und der die das ist nicht mit für ein eine einen meine "
	    "mein sie wir haben habe bin auch kann wie wo bitte danke guten tag "
	    "grüezi zu von auf dem den sich oder aber noch gibt ihnen vielen "
	    "vielmal dank herzlichen freundliche grüsse grüße möchte schweiz "
	    "ihr ihre gerne mich mir uns sind hat wird werden kein keine meiner "
	    "meinem meinen wann warum was wer wohnung arbeit sohn tochter "
	    "kinder mann frau hallo gruss schon jetzt heute nur sehr fuer "
	    "können koennen muss brauche suche hilfe isch chönd chan üs nöd nid "
	    "mitenand vilmal öppis hälfe bruuch wäre würde" },
	{ "it", "il di che per non sono ho della alla con gli è buongiorno "
	    "grazie mio mia vorrei dove anche questo molto ciao salve buonasera "
	    "perché ancora posso devo cerco abito sua suo nel svizzera cordiali "
	    "saluti distinti gentile vorremmo sapere hanno abbiamo siamo miei "
	    "figlio figlia marito moglie lavoro cosa perche può puo possiamo "
	    "potete potrei dei delle degli nella sulla alle agli questa quello "
	    "quella mille bambino bambini aiuto" },
	{ "pt", "não com uma meu minha eu você obrigado obrigada olá estou "
	    "tenho é os dos das em ao à está são também muito mas há isso filho "
	    "filha preciso gostaria posso boa bom dia tarde suíça suica "
	    "cumprimentos atenciosamente senhor senhora pra fazer ainda na nas "
	    "vocês voces tô tudo bem oi valeu ajuda queria tambem nao muita vou "
	    "vai temos tem têm trabalho marido mulher esposa então entao já "
	    "pelo pela agora hoje amanhã amanha ontem lá isto essa esse dele "
	    "dela aos às pro seu perdi estamos somos sou vagas podem pode" },
	{ "es", "el los las del y es estoy tengo mis hola gracias buenos buenas "
	    "días dias favor puedo quiero necesito hijo hija también muy pero "
	    "donde dónde yo usted hay soy al sin ayuda cómo suiza quisiera "
	    "traer hacer puede pueden señor señora estimado estimada saludos "
	    "atentamente muchas su sus tenemos estamos podemos buscamos busco "
	    "esposo hijos hijas niño niños nino ninos trabajo ahora hoy mañana "
	    "manana ayer aquí qué cuándo cuando cuánto cuanto llegue llegué ya "
	    "necesitamos información informacion tiene tienen eso esto ese cita "
	    "podría podria voy mucho" },
	{ "en", "the and to of i my is for you we are have has can with this "
	    "that please thanks thank hello hi would could where how what there "
	    "your be will am need want dear switzerland regards sincerely kind "
	    "very much it at from not does did were our they them he she his "
	    "pls plz thx asap help hey know get go if but about just some any "
	    "job work wife husband daughter children kids see next month week "
	    "year day today tomorrow yesterday morning evening lost find "
	    "looking expires expired renew office open closed free money pay "
	    "rent landlord school flat apartment course appointment" },
	{ "sq", "të në dhe një për është unë jam nga që nuk kam ju faleminderit "
	    "përshëndetje pershendetje mirëdita miredita shumë shume dua mund "
	    "çfarë cfare apo edhe tim time jetoj kur nëse duhet mirë mire nje "
	    "per eshte ndihmë ndihme më ka kemi keni janë jane ishte nevojë "
	    "nevoje nevoj ndihmoni fëmijë fëmijët femije femijet burri gruaja "
	    "djali vajza shtëpi shtepi banesë banes banese punë pune kërkoj "
	    "kerkoj flm tung muj nesër neser sot jemi jeni isha prej mora letër "
	    "leter ketë këtë kete shum gjet" },
	{ "hbs", "sam li mogu kako gde gdje hvala molim dobar zdravo poštovani "
	    "postovani pozdrav trebam imam nije smo ste što šta tko koji koja "
	    "kad kada ovdje ovde jer unaprijed unapred pomoć pomoc treba moj "
	    "moja moje bih biste bismo ću će ćemo želim zelim djeca deca dijete "
	    "dete imamo moramo možemo mozemo nemamo rekao rekla kod oko nakon "
	    "još jos bio bila kao naš naša vaš vaša ili tražim trazim zanima "
	    "koliko košta kosta počinje pocinje besplatno besplatan besplatni "
	    "besplatnih godine godina godinu veoma plašim plasim postoji sina "
	    "sinu kćer muž muz supruga suprug zbog nego posao posla poslu stan "
	    "stana stanu vrtić vrtic vrtiću vrticu škola skola školu skolu "
	    "škole skole danas sutra jučer juče juce jucer nisam hoću hocu neću "
	    "necu jesam dobio dobila dobiti dozvolu dozvola dozvole boravak "
	    "boravka pomozite uraditi napraviti učiniti ucinit dvije dve novca "
	    "novac na ljekar lekar liječnik lijecnik tečaj tecaj kurs početnike "
	    "pocetnike ima nema" },
	{ "tr", "ve bir bu için icin ile ben değil degil var çok cok nasıl "
	    "nasil teşekkür tesekkur merhaba iyi günler gunler lütfen lutfen "
	    "ama benim bana nerede nereye istiyorum ediyorum yardım yardim "
	    "kadar sonra şimdi simdi hangi olarak gibi daha mı musunuz misiniz "
	    "ederim yok lazım lazim mümkün mumkun mü mısınız neden eşim esim "
	    "kocam karım çocuk çocuklar çocuğum cocuk cocuklar oğlum kızım ev "
	    "evim iş işim işe teşekkürler tesekkurler günaydın gunaydin "
	    "akşamlar istiyoruz gerekiyor gerekir fakat çünkü bugün yarın dün "
	    "hafta yıl önce hiç şey beni sana bize size olan oldu olur miyim "
	    "edebilir randevu randevusu belge belgeler izin izni oturma kursu "
	    "türkçe almanca fransızca fransizca tercüman aldım okuldan mektubu" },
	{ "so", "waa iyo oo aan waxaan mahadsanid salaan ayaa baan inaan karaa "
	    "sidee xaggee hadlaa caawimaad walaal haa waxaa waxay wuxuu ahay "
	    "ahaa rabaa doonayaa jiraa baahanahay iga ii igu hooyo aabe "
	    "carruurta caruurta gurigii guriga shaqo shaqada luuqadda iska "
	    "warran bilaash degdeg haddii maxaa halkee waan waad wax kale ah "
	    "aad ay uu ka" },
	{ "ro", "și este în pentru cu sunt mulțumesc multumesc bună buna ziua "
	    "vă pot unde care să acest aceasta doresc vreau ajutor nu pe mai "
	    "meu mea soțul sotul soția sotia copiii copii copilul aș dori știu "
	    "stiu dacă daca putea poate avem primit găsi gasi franceză franceza "
	    "adulți adulti rog aveți aveti sunteți sunteti caut lucru muncă "
	    "munca locuință locuinta puteți puteti ajuta ajutați ajutati mă îmi "
	    "imi noi fiul fiica soț soție sotie școală scoala foarte despre "
	    "după dupa până pana când cand cum avea nevoie trebuie informații "
	    "informatii experiență experienta construcții constructii salutare" },
	{ "pl", "się nie jest że dziękuję dziekuje dzień czy jak gdzie mam "
	    "jestem proszę prosze bardzo chciałabym chciałbym mogę moge oraz "
	    "który która szukam pracy praca państwo panstwo pomóc mogą moga "
	    "dobry mieszkanie dziecko dzieci mąż mój potrzebuję potrzebuje" },
	{ "nl", "het een van ik niet voor met dank wel zijn hebben heb waar hoe "
	    "wat goedendag graag mijn ook maar naar dat uw bedankt" },
	{ "rm", "jau nua grazia fitg bun ed cun sco tge nus vus ina dal dals "
	    "ils èsser essan vegnir pudess emprender" },
	{ "sl", "sem kje lahko kot tudi prosim pomoč zelo dober jaz ki otrok "
	    "otroka vrtec nekaj pozdravljeni iščem iscem kaj že potrebujem "
	    "stanovanje delo zdravnik kdaj brezplačen brezplačno brezplacno "
	    "šola sola jutri danes včeraj vceraj nisem francoščine zvečer" },
	{ "ku", "ez û ji li bi dixwazim spas silav min ye kurdî zimanê hîn "
	    "dikarim çawa çi kengê alîkarî zarok xwe jî heye nîne gelek em yê "
	    "hene tune îro iro îşev sê zarokên zarokê malê xwediyê derxistin wî "
	    "wê wan hûn hun ew bo navê dikim dikin dibe bikim bikin bibim "
	    "dixwazin nikarim nizanim dijim digerim dikarin alikariya alîkariya "
	    "qeyd dibistanê dibistan jin mêr keç razanê cihê mêrê jina karê "
	    "winda kir kirin bû bûye hatin çû dê bav dayik zarokan malbat "
	    "malbata xwişk bira" },
	{ "tl", "ang ng mga po ako salamat ninyo kayo namin pwede paano saan "
	    "magandang araw hindi nang lang" },
	{ "ar", "ana alikoum alaikum aleikum alikom wa mn fi bghit bghina "
	    "kifach kifash kif kayf nsajel wladi wlad lmadrasa chokran choukran "
	    "shukran shokran mumkin momkin andi inshallah inchallah nchallah "
	    "wallah hamdullah lhamdullah bzaf bezaf dyal dial kayn kayna "
	    "makaynch afak mzyan zwin safi lkhir habibi khouya khoya okhti "
	    "ukhti ahlan marhaba kaifa haluk ismi smiti bdit baddi biddi shu "
	    "chou chno chnou wach wash dyali hna ntoma lina likom ila liya "
	    "sourya souria maghrib" },
	{ "fa", "hastam hastim hasti mikham mikhaham mikhastam mikhastim mikhay "
	    "bedunam bedoonam bedanam daram darim kojast chetor chetori mamnoon "
	    "mamnun mamnoonam lotfan khahesh khahish mikonam mikonim konam "
	    "baraye baraie kheili kheyli khaili shoma mikonid komak tashakor "
	    "tashakkor zaban zabane faranse farsi agha khanom befarmaid nist "
	    "chera hamsaram shoharam zanam bachem pesaram dokhtaram madrese "
	    "kelas kelase yek az khasteh khaste nabashid nabashi morede mored "
	    "soal soali dashtam dashtim darid mitoonam mitunam mitavanam mishe "
	    "bayad lazem ejaze ejazeye eqamat eghamat sabt esmam bebakhshid "
	    "bebakhshin dorood khoobam khubam chand vaght vaqt emruz farda "
	    "diruz zendegi khoone khaneh pool bimeh bimarestan bacheh madaram "
	    "pedaram khahar baradar hamsar shohar" },
	{ "ru", "zdravstvuyte zdravstvujte zdrastvuyte privet spasibo "
	    "pozhaluysta pozhalujsta pojaluysta mne menya nuzhno nuzhna nuzhen "
	    "mozhno mojno kak chto eto ishchu ishu ischu rabotu rabota kvartiru "
	    "pomogite pomoch dlya khochu hochu vecher frantsuzskogo yazyka "
	    "yazyk vzroslykh ochen muzh zhena deti detey moy moya pomosch "
	    "sprosit khotela hotela khotel" },
	{ "uk", "dyakuyu diakuiu dyakuju dyakuiu bud laska shukayu shukaiemo "
	    "shukaemo potribno potriben potribna mozhna ukrainy ukrayiny zhytlo "
	    "robotu robota dopomoha dopomohty dopomozhit dopomozhete chy dytyna "
	    "dity donka cholovik druzhyna kvartyru mova movy frantsuzkoyi kursy "
	    "koly yak shcho shho vitayu pryvit" },
	{ "ti", "ane kab iye eyu iyu kemey kemay yekenyeley yekeniyeley "
	    "yekenyelay yekenyeleka ezi nay aleni aloni deleye delye hagerey "
	    "sirah srah ikel ikil kiha entay abey kndey kindey ezom kulu hawey "
	    "hawka haftey wedey gual gualey sebeyti kemzi kemo krkb krkeb "
	    "kirkeb geire gebire kigebr hagez hagezi" },
};
#define NSTOP	G_N_ELEMENTS(stopwords)

#endif
