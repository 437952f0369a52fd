"""Unit fixtures for language detection (not an evaluation: `make bench` measures on the
held-out split of bench/lang_eval/).

SET: chat-like messages in 12 languages (ISO 639-1 label, kind, text). Kinds: prose (a normal
prompt or reply), short (fewer than 20 letters), code (a question around a code block), mixed
(mostly the labeled language, with English words, a URL or emoji).
MORE: one request each in languages langdetect cannot name (lingua's), in the scripts the
script rule decides, and in their neighbours, so each neighbour keeps its own name.
MIXED: messages whose writer's language differs from most of their letters (a payload to
translate, a quoted text, a question about a text).
Written by hand for this project; none of it comes from the sample phrasebook or bench/lang_eval.
"""

SET = [
    # English
    ("en", "prose", "Write me a polite email to my landlord asking him to fix the heating before winter."),
    ("en", "prose", "What would happen if the moon suddenly disappeared? Explain the effects on tides."),
    ("en", "prose", "I am preparing for a job interview at a bank, what questions should I expect?"),
    ("en", "short", "thanks!"),
    ("en", "short", "continue"),
    ("en", "code", "Why does this loop never stop?\n```python\nwhile i < 10:\n    print(i)\n```\nI think the counter is wrong somewhere."),
    ("en", "code", "Can you convert this to TypeScript and add types? `const add = (a, b) => a + b;` it should work with numbers only."),
    ("en", "mixed", "Summarize this page for me please https://en.wikipedia.org/wiki/Rain and keep it under 100 words 🙏"),
    # Chinese
    ("zh", "prose", "请帮我写一封给房东的邮件，礼貌地请他在冬天之前修好暖气。"),
    ("zh", "prose", "如果月亮突然消失了，地球上的潮汐会发生什么变化？请详细解释。"),
    ("zh", "prose", "我下周要去银行面试，你觉得面试官可能会问哪些问题？"),
    ("zh", "short", "继续"),
    ("zh", "short", "谢谢你"),
    ("zh", "code", "为什么这个循环停不下来？\n```python\nwhile i < 10:\n    print(i)\n```\n我觉得计数器哪里写错了，请帮我看看。"),
    ("zh", "code", "请把这段代码改成TypeScript并加上类型：`const add = (a, b) => a + b;` 只需要支持数字。"),
    ("zh", "mixed", "帮我总结一下这个网页的内容 https://zh.wikipedia.org/wiki/雨 字数不要超过一百字 🙏"),
    # Russian
    ("ru", "prose", "Напиши вежливое письмо арендодателю с просьбой починить отопление до зимы."),
    ("ru", "prose", "Что произойдёт, если луна внезапно исчезнет? Объясни, как изменятся приливы."),
    ("ru", "prose", "Я готовлюсь к собеседованию в банке, какие вопросы мне могут задать?"),
    ("ru", "short", "продолжай"),
    ("ru", "short", "спасибо!"),
    ("ru", "code", "Почему этот цикл никогда не заканчивается?\n```python\nwhile i < 10:\n    print(i)\n```\nМне кажется, что счётчик где-то неправильный."),
    ("ru", "code", "Перепиши это на TypeScript и добавь типы: `const add = (a, b) => a + b;` должно работать только с числами."),
    ("ru", "mixed", "Сделай краткое содержание этой страницы https://ru.wikipedia.org/wiki/Дождь не больше ста слов 🙏"),
    # French
    ("fr", "prose", "Écris un courriel poli à mon propriétaire pour lui demander de réparer le chauffage avant l'hiver."),
    ("fr", "prose", "Que se passerait-il si la lune disparaissait soudainement ? Explique les effets sur les marées."),
    ("fr", "prose", "Je prépare un entretien d'embauche dans une banque, quelles questions dois-je attendre ?"),
    ("fr", "short", "merci beaucoup"),
    ("fr", "short", "continue stp"),
    ("fr", "code", "Pourquoi cette boucle ne s'arrête jamais ?\n```python\nwhile i < 10:\n    print(i)\n```\nJe pense que le compteur est faux quelque part."),
    ("fr", "code", "Peux-tu convertir ceci en TypeScript avec des types ? `const add = (a, b) => a + b;` uniquement pour des nombres."),
    ("fr", "mixed", "Résume cette page pour moi https://fr.wikipedia.org/wiki/Pluie en moins de cent mots s'il te plaît 🙏"),
    # Spanish
    ("es", "prose", "Escribe un correo educado a mi casero pidiéndole que arregle la calefacción antes del invierno."),
    ("es", "prose", "¿Qué pasaría si la luna desapareciera de repente? Explica los efectos sobre las mareas."),
    ("es", "prose", "Me estoy preparando para una entrevista de trabajo en un banco, ¿qué preguntas me harán?"),
    ("es", "short", "gracias!"),
    ("es", "short", "sigue por favor"),
    ("es", "code", "¿Por qué este bucle nunca termina?\n```python\nwhile i < 10:\n    print(i)\n```\nCreo que el contador está mal en alguna parte."),
    ("es", "code", "¿Puedes pasar esto a TypeScript con tipos? `const add = (a, b) => a + b;` solo tiene que funcionar con números."),
    ("es", "mixed", "Resume esta página https://es.wikipedia.org/wiki/Lluvia en menos de cien palabras por favor 🙏"),
    # German
    ("de", "prose", "Schreib eine höfliche E-Mail an meinen Vermieter, damit er die Heizung vor dem Winter repariert."),
    ("de", "prose", "Was würde passieren, wenn der Mond plötzlich verschwindet? Erkläre die Folgen für die Gezeiten."),
    ("de", "prose", "Ich bereite mich auf ein Vorstellungsgespräch bei einer Bank vor, welche Fragen kommen wohl?"),
    ("de", "short", "danke schön"),
    ("de", "short", "mach weiter"),
    ("de", "code", "Warum hört diese Schleife nie auf?\n```python\nwhile i < 10:\n    print(i)\n```\nIch glaube, der Zähler ist irgendwo falsch."),
    ("de", "code", "Kannst du das nach TypeScript mit Typen umschreiben? `const add = (a, b) => a + b;` nur für Zahlen bitte."),
    ("de", "mixed", "Fass diese Seite bitte zusammen https://de.wikipedia.org/wiki/Regen in weniger als hundert Wörtern 🙏"),
    # Portuguese
    ("pt", "prose", "Escreva um e-mail educado ao meu senhorio pedindo que ele conserte o aquecimento antes do inverno."),
    ("pt", "prose", "O que aconteceria se a lua desaparecesse de repente? Explique os efeitos nas marés."),
    ("pt", "prose", "Estou me preparando para uma entrevista de emprego num banco, que perguntas devo esperar?"),
    ("pt", "short", "obrigado!"),
    ("pt", "short", "continua"),
    ("pt", "code", "Por que esse laço nunca termina?\n```python\nwhile i < 10:\n    print(i)\n```\nAcho que o contador está errado em algum lugar."),
    ("pt", "code", "Você pode converter isso para TypeScript com tipos? `const add = (a, b) => a + b;` só precisa funcionar com números."),
    ("pt", "mixed", "Resuma esta página para mim https://pt.wikipedia.org/wiki/Chuva em menos de cem palavras por favor 🙏"),
    # Italian
    ("it", "prose", "Scrivi una email gentile al mio padrone di casa chiedendogli di riparare il riscaldamento prima dell'inverno."),
    ("it", "prose", "Cosa succederebbe se la luna sparisse all'improvviso? Spiega gli effetti sulle maree."),
    ("it", "prose", "Mi sto preparando per un colloquio di lavoro in banca, che domande mi faranno secondo te?"),
    ("it", "short", "grazie mille"),
    ("it", "short", "continua pure"),
    ("it", "code", "Perché questo ciclo non finisce mai?\n```python\nwhile i < 10:\n    print(i)\n```\nPenso che il contatore sia sbagliato da qualche parte."),
    ("it", "code", "Puoi convertire questo in TypeScript con i tipi? `const add = (a, b) => a + b;` deve funzionare solo con i numeri."),
    ("it", "mixed", "Riassumi questa pagina https://it.wikipedia.org/wiki/Pioggia in meno di cento parole per favore 🙏"),
    # Japanese
    ("ja", "prose", "冬になる前に暖房を直してもらえるよう、大家さんに丁寧なメールを書いてください。"),
    ("ja", "prose", "もし月が突然消えたら、潮の満ち引きにはどんな影響がありますか？"),
    ("ja", "prose", "来週銀行の面接があるのですが、どんな質問をされると思いますか？"),
    ("ja", "short", "続けて"),
    ("ja", "short", "ありがとう"),
    ("ja", "code", "このループが止まらないのはなぜですか？\n```python\nwhile i < 10:\n    print(i)\n```\nカウンターがどこかで間違っていると思います。"),
    ("ja", "code", "これを型付きのTypeScriptに変換してもらえますか？`const add = (a, b) => a + b;` 数値だけで動けば大丈夫です。"),
    ("ja", "mixed", "このページを百字以内で要約してください https://ja.wikipedia.org/wiki/雨 お願いします 🙏"),
    # Korean
    ("ko", "prose", "겨울이 오기 전에 난방을 고쳐 달라고 집주인에게 정중한 이메일을 써 주세요."),
    ("ko", "prose", "만약 달이 갑자기 사라진다면 조수에는 어떤 영향이 있을까요?"),
    ("ko", "prose", "다음 주에 은행 면접이 있는데 어떤 질문을 받을 것 같나요?"),
    ("ko", "short", "계속해"),
    ("ko", "short", "고마워요"),
    ("ko", "code", "이 반복문이 왜 멈추지 않나요?\n```python\nwhile i < 10:\n    print(i)\n```\n카운터가 어딘가 잘못된 것 같아요."),
    ("ko", "code", "이것을 타입이 있는 TypeScript로 바꿔 줄 수 있나요? `const add = (a, b) => a + b;` 숫자만 처리하면 됩니다."),
    ("ko", "mixed", "이 페이지를 백 단어 이내로 요약해 주세요 https://ko.wikipedia.org/wiki/비 부탁해요 🙏"),
    # Arabic
    ("ar", "prose", "اكتب رسالة مهذبة إلى المالك أطلب منه فيها إصلاح التدفئة قبل الشتاء."),
    ("ar", "prose", "ماذا سيحدث لو اختفى القمر فجأة؟ اشرح التأثيرات على المد والجزر."),
    ("ar", "prose", "أستعد لمقابلة عمل في بنك، ما هي الأسئلة التي يجب أن أتوقعها؟"),
    ("ar", "short", "شكرا لك"),
    ("ar", "short", "أكمل من فضلك"),
    ("ar", "code", "لماذا لا تتوقف هذه الحلقة أبدا؟\n```python\nwhile i < 10:\n    print(i)\n```\nأعتقد أن العداد خاطئ في مكان ما."),
    ("ar", "code", "هل يمكنك تحويل هذا إلى TypeScript مع الأنواع؟ `const add = (a, b) => a + b;` يجب أن يعمل مع الأرقام فقط."),
    ("ar", "mixed", "لخص هذه الصفحة من فضلك https://ar.wikipedia.org/wiki/مطر في أقل من مئة كلمة 🙏"),
    # Turkish
    ("tr", "prose", "Ev sahibime kış gelmeden kaloriferi tamir etmesini rica eden kibar bir e-posta yaz."),
    ("tr", "prose", "Ay aniden ortadan kaybolsaydı ne olurdu? Gelgitler üzerindeki etkilerini açıkla."),
    ("tr", "prose", "Bir bankada iş görüşmesine hazırlanıyorum, hangi soruları beklemeliyim?"),
    ("tr", "short", "teşekkürler"),
    ("tr", "short", "devam et"),
    ("tr", "code", "Bu döngü neden hiç bitmiyor?\n```python\nwhile i < 10:\n    print(i)\n```\nSanırım sayaç bir yerde yanlış."),
    ("tr", "code", "Bunu tiplerle TypeScript'e çevirebilir misin? `const add = (a, b) => a + b;` sadece sayılarla çalışması yeterli."),
    ("tr", "mixed", "Bu sayfayı yüz kelimeden kısa özetler misin lütfen https://tr.wikipedia.org/wiki/Yağmur 🙏"),
]

# Messages with no language of their own: they must take the conversation's language.
NO_LANGUAGE = [
    "```python\nimport numpy as np\nprint(np.arange(10).reshape(2, 5))\n```",
    "`SELECT * FROM users;`",
    "https://example.com/some/page?id=42",
    "👍👍",
    "12345 67890",
    "ok",
    "hi",
]

MORE = [
    ("az", "prose", "Salam, mənə Bakıda yaxşı bir restoran tövsiyə edə bilərsənmi? Sabah axşam dostlarımla getmək istəyirəm."),
    ("be", "prose", "Прывітанне! Ці можаш ты дапамагчы мне напісаць ліст настаўніку пра заўтрашні ўрок па гісторыі?"),
    ("eo", "prose", "Saluton! Ĉu vi povas helpi min verki leteron al mia amiko pri nia vojaĝo al Berlino venontsemajne?"),
    ("eu", "prose", "Kaixo! Lagunduko didazu nire lagunari gutun bat idazten gure Bilborako bidaiari buruz?"),
    ("ga", "prose", "Dia duit! An féidir leat cabhrú liom litir a scríobh chuig mo chara faoinár dturas go Gaillimh?"),
    ("is", "prose", "Halló! Geturðu hjálpað mér að skrifa bréf til vinar míns um ferðina okkar til Akureyrar í sumar?"),
    ("kk", "prose", "Сәлем! Маған досыма Алматыға саяхатымыз туралы хат жазуға көмектесе аласың ба?"),
    ("la", "prose", "Salve! Potesne me adiuvare epistulam ad amicum meum de itinere nostro Romam scribere?"),
    ("lg", "prose", "Oli otya! Osobola okunnyamba okuwandiika ebbaluwa eri mukwano gwange ku lugendo lwaffe e Kampala?"),
    ("mi", "prose", "Kia ora! Ka taea e koe te āwhina i ahau ki te tuhi reta ki tōku hoa mō tō mātou haerenga ki Rotorua?"),
    ("mn", "prose", "Сайн байна уу! Найздаа Улаанбаатар руу хийх аяллын тухай захидал бичихэд туслаач?"),
    ("ms", "prose", "Hai! Boleh awak tolong saya tulis surat kepada kawan saya tentang percutian kami ke Pulau Pinang?"),
    ("nb", "prose", "Hei! Kan du hjelpe meg å skrive et brev til vennen min om turen vår til Bergen i sommer?"),
    ("nn", "prose", "Hei! Kan du hjelpe meg å skrive eit brev til venen min om turen vår til Bergen i sommar?"),
    ("sn", "prose", "Mhoro! Unogona here kundibatsira kunyorera shamwari yangu tsamba nezverwendo rwedu kuenda kuHarare?"),
    ("sr", "prose", "Здраво! Можеш ли да ми помогнеш да напишем писмо пријатељу о нашем путовању у Београд?"),
    ("st", "prose", "Dumela! O ka nthusa ho ngolla motswalle wa ka lengolo mabapi le leeto la rona la ho ya Maseru?"),
    ("tn", "prose", "Dumela! A o ka nthusa go kwalela tsala ya me lekwalo ka ga loeto lwa rona go ya Gaborone?"),
    ("ts", "prose", "Avuxeni! Xana u nga ndzi pfuna ku tsalela munghana wa mina papila mayelana na riendzo ra hina?"),
    ("xh", "prose", "Molo! Ungandinceda ndibhalele umhlobo wam ileta malunga nohambo lwethu oluya eMonti?"),
    ("yo", "prose", "Ẹ kú àárọ̀! Ṣé o lè ràn mí lọ́wọ́ láti kọ lẹ́tà sí ọ̀rẹ́ mi nípa ìrìn àjò wa sí Èkó?"),
    ("zu", "prose", "Sawubona! Ungangisiza ngibhalele umngane wami incwadi mayelana nohambo lwethu oluya eThekwini?"),
    ("bs", "prose", "Šta misliš, koliko hiljada ljudi dođe na sabor svake sedmice? Historija kaže da je to lahko izračunati."),
    ("ne", "prose", "नमस्ते! के तपाईं मलाई मेरो साथीलाई हाम्रो यात्राको बारेमा चिठी लेख्न मद्दत गर्न सक्नुहुन्छ?"),
    ("hy", "prose", "Բարև։ Կարո՞ղ ես օգնել ինձ նամակ գրել ընկերոջս մեր ճամփորդության մասին։"),
    ("ka", "prose", "გამარჯობა! შეგიძლია დამეხმარო წერილის დაწერაში ჩემი მეგობრისთვის?"),
    ("kn", "prose", "ನಮಸ್ಕಾರ! ನನ್ನ ಸ್ನೇಹಿತನಿಗೆ ಪತ್ರ ಬರೆಯಲು ನೀವು ನನಗೆ ಸಹಾಯ ಮಾಡಬಹುದೇ?"),
    ("ml", "prose", "നമസ്കാരം! എന്റെ സുഹൃത്തിന് ഒരു കത്ത് എഴുതാൻ എന്നെ സഹായിക്കാമോ?"),
    ("uk", "prose", "Привіт! Чи можеш ти допомогти мені написати лист другові про нашу подорож до Львова?"),
    ("hr", "prose", "Bok! Možeš li mi pomoći napisati pismo prijatelju o našem putovanju u Split ovog ljeta?"),
    ("id", "prose", "Halo! Bisakah kamu membantu saya menulis surat kepada teman saya tentang liburan kami ke Bali?"),
    ("lt", "prose", "Labas! Ar galėtum padėti man parašyti laišką draugui apie mūsų kelionę į Vilnių?"),
    ("sl", "prose", "Živijo! Mi lahko pomagaš napisati pismo prijatelju o najinem potovanju v Ljubljano?"),
    ("tr", "prose", "Merhaba! Arkadaşıma İstanbul gezimiz hakkında bir mektup yazmama yardım edebilir misin?"),
    ("da", "prose", "Hej! Kan du hjælpe mig med at skrive et brev til min ven om vores tur til Aarhus i sommer?"),
]

# (language of the writer, message): the payload, quote or pasted text is in another language.
MIXED = [
    ("en", "Translate this into English:\nМой дом стоит на холме, и из окна моей комнаты видно море и старый порт."),
    ("en", "Translate into Spanish: I would like to book a table for four people tomorrow evening at eight."),
    ("ru", "Переведи на английский язык:\nEl sábado vamos a la playa con mis primos y después cenamos en casa de la abuela."),
    ("de", "Kannst du mir diesen Text zusammenfassen:\n\nThe committee met on Tuesday to discuss the budget for next year. "
           "Several members raised concerns about the rising cost of maintenance and the delays in the new library."),
    ("zh", "请把下面这段话翻译成中文：\nThe weather will be sunny tomorrow, so we are planning a picnic in the park near the river."),
    ("fr", "Que veut dire cette phrase exactement « I would rather be a happy fool than a sad sage, said the old man » ?"),
    ("es", "> We regret to inform you that your application has not been successful this time.\n"
           "¿Me puedes ayudar a responder a este correo de forma educada y pedir más detalles?"),
    ("pt", "Corrija a gramática deste parágrafo, por favor: \"Yesterday I have went to the market and buyed many apples for my mother.\""),
]
