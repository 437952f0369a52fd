"""Sentence templates we wrote for the PII evaluation set (Faker `{{token}}` syntax).

presidio-evaluator ships 209 English templates (its `raw_data/templates.txt`); most are news
and song-review prose and only a handful carry e-mails, IBANs, IPs or SSNs. These add what a
chatbot log looks like: requests that paste personal data into a task ("write a letter to
...", "my card ... was declined"), in English and in the languages of our non-English locales.

Tokens are the ones Faker and presidio-evaluator know (`person`, `first_name`, `email`,
`phone_number`, `address`, `street_address`, `street_name`, `building_number`, `postcode`,
`city`, `iban`, `credit_card_number`, `ip_address`, `ssn`, `organization`, `prefix`, ...), plus two of ours:
`iban_spaced` and `credit_card_spaced` (the same numbers grouped by four, as people type them).
`{{address}}` and `{{street_address}}` are expanded into their parts by make_pii_set.py, so
every part gets its own span.
"""

ENGLISH = [
    "Write a polite email to my bank. My name is {{person}}, my IBAN is {{iban}} and they can reach me at {{phone_number}}.",
    "can you fix the grammar: 'Dear sir, please refund the charge on card {{credit_card_number}}. Regards, {{person}}'",
    "My SSN is {{ssn}} and my date of birth is {{date_of_birth}}. Help me fill in this W-4 form.",
    "Our server at {{ip_address}} keeps rejecting SSH logins, what should I check?",
    "I got a login alert from IP {{ip_address}}. Is that from {{country}}?",
    "Format this as a shipping label: {{person}}, {{address}}",
    "Translate to Spanish: Please contact {{first_name}} at {{email}} or {{phone_number}}.",
    "Draft a cover letter for {{person}} ({{email}}, {{phone_number}}) applying to {{organization}}.",
    "Is {{iban}} a valid IBAN? I need to pay my landlord {{person}}.",
    "Reply to {{first_name}}'s email ({{email}}) and tell them the meeting moved to {{day_of_week}}.",
    "my wife {{person}} needs to update her social security number {{ssn}} on the form",
    "Here is my resume header:\n{{person}}\n{{address}}\n{{phone_number}} | {{email}}",
    "Write a tenancy reference for {{person}} who lived at {{building_number}} {{street_name}} for three years.",
    "The firewall log shows repeated hits from {{ip_address}} and {{ip_address}}. Block them with iptables.",
    "Pay {{person}} 250 EUR, IBAN {{iban_spaced}}, reference invoice 2231.",
    "Card: {{credit_card_spaced}}\nExp: 09/27\nName on card: {{person}}\nWhy was it declined?",
    "hi its {{first_name}} again, my number changed to {{phone_number}}",
    "Send the invoice to {{email}} and cc {{email}}.",
    "Make a CSV row for: name {{person}}, email {{email}}, phone {{phone_number}}, city {{city}}",
    "My neighbour {{person}} at {{address}} keeps parking in front of my garage. Write a friendly note.",
    "The customer {{person}} (SSN {{ssn}}) asked for a copy of the form.",
    "Why does ping {{ip_address}} time out while other hosts answer?",
    "Please write a wedding invitation from {{person}} and {{person}}, reception at {{address}}.",
    "I'm {{person}}, I was charged twice on {{credit_card_spaced}}, please help me write a complaint",
    "whats the best way to tell {{first_name}} {{last_name}} I'm moving to {{city}}?",
    "Update my profile: email {{email}}, mobile {{phone_number}}, SSN {{ssn}}.",
    "nginx logs show {{ip_address}} - - [12/Mar/2024:10:01:22] \"GET /admin HTTP/1.1\" 403. Who is this?",
    "Refund to IBAN {{iban}} (account holder {{person}}) please, order #88213.",
]

GERMAN = [
    "Hallo, ich bin {{person}} und wohne in der {{address}}. Kannst du mir ein Kündigungsschreiben formulieren?",
    "Bitte schreib eine E-Mail an {{email}}: Die Rechnung wurde von meinem Konto {{iban}} bezahlt.",
    "Mein Name ist {{person}}, meine Telefonnummer ist {{phone_number}}. Wie formuliere ich eine Bewerbung bei {{organization}}?",
    "Meine Kreditkarte {{credit_card_spaced}} wurde gesperrt, was soll ich tun?",
    "Schreib einen Brief an {{prefix}} {{last_name}}, {{street_name}} {{building_number}}, {{postcode}} {{city}}.",
    "Kannst du {{first_name}} zum Geburtstag gratulieren? Er wohnt jetzt in {{city}}.",
    "Überweisung an {{person}}, IBAN {{iban_spaced}}, Betrag 120 Euro. Ist das korrekt formatiert?",
    "Ruf mich bitte unter {{phone_number}} zurück, {{first_name}}.",
    "Der Server {{ip_address}} antwortet nicht mehr. Woran kann das liegen?",
    "Absender:\n{{person}}\n{{address}}\nTel. {{phone_number}}\nE-Mail: {{email}}",
    "Meine Vermieterin {{person}} will die Kaution nicht auf {{iban}} zurückzahlen.",
    "Formuliere eine Einladung: Grillfest bei {{first_name}} und {{first_name}}, {{street_address}}, am Samstag.",
    "Bitte übersetze ins Englische: Mein Nachbar {{person}} hat meine Post geöffnet.",
    "Meine E-Mail-Adresse ist {{email}}, bitte trag sie in das Formular ein.",
    "Wie schreibe ich an {{person}} von {{organization}}, dass ich den Vertrag kündigen möchte?",
    "Lieferadresse: {{street_address}}, {{postcode}} {{city}}. Empfänger: {{person}}",
]

FRENCH = [
    "Bonjour, je m'appelle {{person}} et mon adresse est : {{address}}. Peux-tu m'aider à rédiger une lettre de résiliation ?",
    "Écris un e-mail à {{email}} pour dire que le virement depuis {{iban}} a été fait.",
    "Mon numéro est le {{phone_number}}, rappelle-moi demain.",
    "Ma carte bancaire {{credit_card_spaced}} a été refusée, pourquoi ?",
    "Rédige une lettre pour {{prefix}} {{last_name}}, {{street_address}}, {{postcode}} {{city}}.",
    "Comment souhaiter un bon anniversaire à {{first_name}} qui vit à {{city}} ?",
    "Fais un virement de 80 euros à {{person}}, IBAN : {{iban_spaced}}",
    "Mon voisin {{person}} fait du bruit tous les soirs, que puis-je faire ?",
    "Le serveur {{ip_address}} ne répond plus depuis ce matin.",
    "Expéditeur :\n{{person}}\n{{address}}\nTél. : {{phone_number}}\nCourriel : {{email}}",
    "Je travaille chez {{organization}} avec {{person}}, écris un message de remerciement.",
    "Peux-tu corriger : « Chère {{first_name}}, merci pour ton aide » ?",
    "Mon adresse e-mail est {{email}}, mets-la dans le formulaire.",
    "Adresse de livraison : {{street_address}}, {{postcode}} {{city}}. Destinataire : {{person}}",
    "Envoie un SMS à {{first_name}} au {{phone_number}} pour annuler le rendez-vous.",
]

SPANISH = [
    "Hola, me llamo {{person}} y vivo en {{address}}. ¿Me ayudas a escribir una carta de reclamación?",
    "Escribe un correo a {{email}} diciendo que ya hice la transferencia desde {{iban}}.",
    "Mi número de teléfono es {{phone_number}}, llámame mañana.",
    "Mi tarjeta {{credit_card_spaced}} fue rechazada, ¿qué hago?",
    "Redacta una carta para {{prefix}} {{last_name}}, {{street_address}}, {{postcode}} {{city}}.",
    "¿Cómo felicito a {{first_name}} por su cumpleaños? Ahora vive en {{city}}.",
    "Haz una transferencia de 50 euros a {{person}}, IBAN {{iban_spaced}}.",
    "Mi vecino {{person}} pone la música muy alta, ¿qué puedo hacer?",
    "El servidor {{ip_address}} no responde desde esta mañana.",
    "Remitente:\n{{person}}\n{{address}}\nTel.: {{phone_number}}\nCorreo: {{email}}",
    "Trabajo en {{organization}} con {{person}}, escribe un mensaje de agradecimiento.",
    "Mi correo electrónico es {{email}}, ponlo en el formulario.",
    "Dirección de envío: {{street_address}}, {{postcode}} {{city}}. Destinatario: {{person}}",
    "Manda un mensaje a {{first_name}} al {{phone_number}} para cancelar la cita.",
    "¿Puedes corregir esto?: «Querida {{first_name}}, gracias por todo»",
]

ITALIAN = [
    "Ciao, mi chiamo {{person}} e abito in {{address}}. Mi aiuti a scrivere una lettera di disdetta?",
    "Scrivi una mail a {{email}} per dire che il bonifico da {{iban}} è stato fatto.",
    "Il mio numero è {{phone_number}}, richiamami domani.",
    "La mia carta {{credit_card_spaced}} è stata rifiutata, cosa faccio?",
    "Scrivi una lettera a {{prefix}} {{last_name}}, {{street_address}}, {{postcode}} {{city}}.",
    "Come faccio gli auguri a {{first_name}}? Adesso vive a {{city}}.",
    "Fai un bonifico di 30 euro a {{person}}, IBAN {{iban_spaced}}.",
    "Il mio vicino {{person}} fa rumore tutte le sere, cosa posso fare?",
    "Il server {{ip_address}} non risponde da stamattina.",
    "Mittente:\n{{person}}\n{{address}}\nTel. {{phone_number}}\nEmail: {{email}}",
    "Lavoro in {{organization}} con {{person}}, scrivi un messaggio di ringraziamento.",
    "La mia email è {{email}}, inseriscila nel modulo.",
    "Indirizzo di consegna: {{street_address}}, {{postcode}} {{city}}. Destinatario: {{person}}",
    "Manda un SMS a {{first_name}} al {{phone_number}} per annullare l'appuntamento.",
    "Puoi correggere: «Cara {{first_name}}, grazie di tutto»?",
]

DUTCH = [
    "Hoi, ik ben {{person}} en ik woon op {{address}}. Kun je een opzegbrief voor me schrijven?",
    "Schrijf een mail naar {{email}} dat de betaling van {{iban}} is gedaan.",
    "Mijn telefoonnummer is {{phone_number}}, bel me morgen terug.",
    "Mijn creditcard {{credit_card_number}} is geweigerd, wat moet ik doen?",
    "Schrijf een brief aan {{prefix}} {{last_name}}, {{street_address}}, {{postcode}} {{city}}.",
    "Hoe feliciteer ik {{first_name}} met haar verjaardag? Ze woont nu in {{city}}.",
    "Maak 40 euro over naar {{person}}, IBAN {{iban_spaced}}.",
    "Mijn buurman {{person}} maakt elke avond lawaai, wat kan ik doen?",
    "De server {{ip_address}} reageert sinds vanochtend niet meer.",
    "Afzender:\n{{person}}\n{{address}}\nTel.: {{phone_number}}\nE-mail: {{email}}",
    "Ik werk bij {{organization}} met {{person}}, schrijf een bedankbericht.",
    "Mijn e-mailadres is {{email}}, vul het in op het formulier.",
    "Bezorgadres: {{street_address}}, {{postcode}} {{city}}. Ontvanger: {{person}}",
    "Stuur een sms naar {{first_name}} op {{phone_number}} om de afspraak af te zeggen.",
    "Kun je dit verbeteren: 'Beste {{first_name}}, bedankt voor alles'?",
]

NATIVE = {"de": GERMAN, "fr": FRENCH, "es": SPANISH, "it": ITALIAN, "nl": DUTCH}
