#!/usr/bin/env python3
"""gencorpus.py: a deterministic, realistic corpus of requests for `make bench`.

    tests/bench/gencorpus.py [--seed S] OUTDIR N

N messages as OUTDIR/NNNNNN.eml: 1 KB to 300 KB; French, German, Portuguese,
Italian, Spanish, Albanian, Ukrainian, Arabic, Tigrinya, English, Turkish,
Persian text; UTF-8, ISO-8859-1, windows-1252; quoted-printable, base64 and
8bit bodies; ~30% multipart/alternative with HTML; ~10% with attachments;
RFC 2047 subjects.  The same seed gives the same bytes.
"""
import base64, os, quopri, random, sys

SENT = {
 "fr": ["Bonjour, je suis arrivée à Chippis il y a deux mois avec mes enfants.",
        "Je voudrais savoir comment renouveler mon permis B avant la fin du mois.",
        "Est-ce qu'il existe des cours de français le soir près de Sierre ?",
        "Mon mari cherche un emploi, il a un diplôme d'électricien du Portugal.",
        "Nous cherchons une crèche pour notre fille de deux ans.",
        "Notre association organise une fête interculturelle au mois de juin.",
        "Merci d'avance pour votre aide et vos conseils.",
        "Le propriétaire veut augmenter le loyer, que puis-je faire ?"],
 "de": ["Guten Tag, ich wohne seit kurzem in Siders und habe eine Frage.",
        "Wie kann ich meine Aufenthaltsbewilligung verlängern lassen?",
        "Gibt es Deutschkurse für Erwachsene in der Region?",
        "Unser Verein möchte ein Projekt zur Integration einreichen.",
        "Ich suche einen Platz in einer Kita für meinen Sohn.",
        "Vielen Dank für Ihre Hilfe und freundliche Grüsse."],
 "pt": ["Bom dia, moro em Chalais e preciso de ajuda com a minha autorização de residência.",
        "Gostaria de saber se há cursos de francês gratuitos.",
        "O meu filho precisa de uma creche perto de casa.",
        "Como posso fazer o reconhecimento do meu diploma de enfermeira?",
        "Obrigada pela vossa ajuda."],
 "it": ["Buongiorno, vorrei informazioni sul ricongiungimento familiare.",
        "Mia moglie vorrebbe seguire un corso di francese.",
        "Cerco lavoro come muratore nella regione di Sierre.",
        "Grazie mille per l'aiuto."],
 "es": ["Hola, necesito información sobre el permiso de residencia.",
        "¿Dónde puedo aprender francés cerca de Grône?",
        "Busco trabajo y tengo experiencia en hostelería.",
        "Muchas gracias por su atención."],
 "sq": ["Përshëndetje, kam nevojë për ndihmë me lejen e qëndrimit.",
        "A ka kurse gjuhe frënge për të rriturit në Sierre?",
        "Djali im kërkon një vend pune si mekanik.",
        "Faleminderit shumë për ndihmën tuaj."],
 "uk": ["Добрий день, я приїхала з України зі статусом S.",
        "Чи є безкоштовні курси французької мови для дорослих?",
        "Мені потрібна допомога з медичним страхуванням.",
        "Дякую за вашу допомогу."],
 "ar": ["مرحبا، أنا أسكن في سيير وأحتاج إلى مساعدة بخصوص تصريح الإقامة.",
        "هل توجد دروس لغة فرنسية مجانية للكبار؟",
        "أبحث عن عمل وعندي خبرة في البناء.",
        "شكرا جزيلا على مساعدتكم."],
 "ti": ["ሰላም፡ ኣብ ሲየር እነብር ኣለኹ፡ ብዛዕባ ፍቓድ መንበሪ ሓገዝ የድልየኒ።",
        "ናይ ፈረንሳይኛ ትምህርቲ ንዓበይቲ ኣሎ ድዩ?",
        "ስራሕ እደሊ ኣለኹ።",
        "የቐንየለይ።"],
 "en": ["Hello, I recently moved to Crans-Montana for work.",
        "Could you tell me where to find French classes for beginners?",
        "I need an interpreter for a meeting at the school next week.",
        "Thank you very much for your help."],
 "tr": ["Merhaba, oturum iznim hakkında bilgi almak istiyorum.",
        "Yetişkinler için Fransızca kursu var mı?",
        "Yardımınız için teşekkür ederim."],
 "fa": ["سلام، من در سیر زندگی می‌کنم و در مورد اجازه اقامت سوال دارم.",
        "آیا کلاس زبان فرانسوی برای بزرگسالان وجود دارد؟",
        "با تشکر از کمک شما."],
}
SUBJ = {"fr": "Demande d'information – permis et cours de français", "de": "Frage zur Aufenthaltsbewilligung",
        "pt": "Pedido de informação – autorização de residência", "it": "Richiesta di informazioni",
        "es": "Solicitud de información", "sq": "Kërkesë për informacion", "uk": "Запит щодо курсів мови",
        "ar": "طلب معلومات", "ti": "ሕቶ ብዛዕባ ፍቓድ", "en": "Question about French classes",
        "tr": "Bilgi talebi", "fa": "درخواست اطلاعات"}
LATIN1 = {"fr", "de", "pt", "it", "es", "en"}
NAMES = ["Ana Silva", "Mehmet Yılmaz", "Olena Kovalenko", "Arben Krasniqi", "Fatima Zahra", "Yonas Tesfay",
         "Giulia Rossi", "Carlos Pérez", "Jean Dupont", "Maria Müller", "Reza Ahmadi", "John Smith"]


def enc_word(s, rnd):
    if all(ord(c) < 128 for c in s):
        return s
    if rnd.random() < 0.5:
        return "=?UTF-8?B?" + base64.b64encode(s.encode()).decode() + "?="
    q = "".join(c if (c.isalnum() and ord(c) < 128) else "_" if c == " " else
                "".join("=%02X" % b for b in c.encode()) for c in s)
    return "=?UTF-8?Q?" + q + "?="


def body_text(lang, target, rnd):
    out, n = [], 0
    sents = SENT[lang]
    while n < target:
        para = " ".join(rnd.choice(sents) for _ in range(rnd.randint(2, 5)))
        out.append(para)
        n += len(para.encode())
    return "\n\n".join(out) + "\n\n" + rnd.choice(NAMES) + "\n"


def encode_part(text, lang, rnd, ctype="text/plain"):
    cs = "utf-8"
    if lang in LATIN1 and rnd.random() < 0.4:
        cs = rnd.choice(["iso-8859-1", "windows-1252"])
    raw = text.encode(cs, errors="replace")
    cte = rnd.choice(["quoted-printable", "base64", "8bit"])
    if cte == "quoted-printable":
        data = quopri.encodestring(raw).decode("ascii")
    elif cte == "base64":
        data = base64.encodebytes(raw).decode("ascii")
    else:
        data = raw.decode(cs)
    hdr = f"Content-Type: {ctype}; charset={cs}\nContent-Transfer-Encoding: {cte}\n\n"
    return hdr, data, cs if cte == "8bit" else "ascii"


def html_of(text):
    paras = "".join(f"<p>{p.replace('&', '&amp;').replace('<', '&lt;')}</p>\n" for p in text.split("\n\n"))
    return f"<html><head><style>p {{ margin: 0 }}</style></head><body>\n{paras}</body></html>\n"


def message(i, rnd):
    lang = rnd.choice(list(SENT))
    r = rnd.random()
    target = int(700 + (rnd.random() ** 3) * 12000) if r < 0.97 else rnd.randint(20000, 60000)
    text = body_text(lang, target, rnd)
    name = rnd.choice(NAMES)
    addr = name.lower().replace(" ", ".").encode("ascii", "ignore").decode() + f"{i % 997}@example.org"
    hdrs = [f"From: {enc_word(name, rnd)} <{addr}>", "To: contact@example.test",
            f"Subject: {enc_word(SUBJ[lang] + f' #{i}', rnd)}",
            f"Date: Mon, {1 + i % 28:02d} Sep 2026 {8 + i % 10:02d}:{i % 60:02d}:00 +0200",
            f"Message-ID: <bench.{i}.{rnd.getrandbits(32):08x}@example.org>", "MIME-Version: 1.0"]
    parts = []
    alt = rnd.random() < 0.30
    att = rnd.random() < 0.10
    h, d, _ = encode_part(text, lang, rnd)
    if alt:
        h2, d2, _ = encode_part(html_of(text), lang, rnd, "text/html")
        body = f"--alt{i}\n{h}{d}\n--alt{i}\n{h2}{d2}\n--alt{i}--\n"
        inner = (f"Content-Type: multipart/alternative; boundary=\"alt{i}\"\n\n", body)
    else:
        inner = (h, d)
    if att:
        size = rnd.randint(20000, 200000)
        blob = base64.encodebytes(rnd.randbytes(size)).decode("ascii")
        fname = enc_word(rnd.choice(["attestation.pdf", "permis_séjour.pdf", "CV.pdf", "photo.jpg"]), rnd)
        body = (f"--mix{i}\n{inner[0]}{inner[1]}\n--mix{i}\nContent-Type: application/pdf; name=\"{fname}\"\n"
                f"Content-Disposition: attachment; filename=\"{fname}\"\nContent-Transfer-Encoding: base64\n\n"
                f"{blob}\n--mix{i}--\n")
        hdrs.append(f"Content-Type: multipart/mixed; boundary=\"mix{i}\"")
        payload = "\n".join(hdrs) + "\n\n" + body
    elif alt:
        hdrs.append(inner[0].rstrip("\n"))
        payload = "\n".join(hdrs) + "\n\n" + inner[1]
    else:
        payload = "\n".join(hdrs) + "\n" + h + d
    return payload


def main():
    args = sys.argv[1:]
    seed = 42
    if args[:1] == ["--seed"]:
        seed = int(args[1]); args = args[2:]
    out, n = args[0], int(args[1])
    rnd = random.Random(seed)
    os.makedirs(out, exist_ok=True)
    total = 0
    for i in range(1, n + 1):
        p = message(i, rnd)
        # 8bit parts were decoded with their charset: write them back in it
        data = p.encode("utf-8") if "charset=utf-8\nContent-Transfer-Encoding: 8bit" in p or "8bit" not in p else None
        if data is None:
            cs = "iso-8859-1" if "charset=iso-8859-1\nContent-Transfer-Encoding: 8bit" in p else \
                 "windows-1252" if "charset=windows-1252\nContent-Transfer-Encoding: 8bit" in p else "utf-8"
            data = p.encode(cs, errors="replace")
        with open(os.path.join(out, f"{i:06d}.eml"), "wb") as f:
            f.write(data)
        total += len(data)
    print(f"{n} messages, {total / 1e6:.1f} MB in {out}")


if __name__ == "__main__":
    main()
