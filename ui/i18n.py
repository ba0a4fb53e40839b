"""Interface labels in Russian, Kazakh and English (answers come in the question's own language)."""
from __future__ import annotations

LANGS = {"ru": "Русский", "kk": "Қазақша", "en": "English"}

LABELS = {
    "ru": {
        "app_title": "Qoljetim — доступность государственных услуг", "language": "Язык интерфейса",
        "nav": "Раздел", "chat": "Чат", "dashboard": "Показатели", "library": "Библиотека", "settings": "Настройки",
        "ask": "Задайте вопрос о доступности государственных услуг…", "new_chat": "Новый разговор",
        "history": "Разговоры", "starters": "С чего начать", "civil_servant": "Госслужащему",
        "researcher": "Исследователю", "trainer": "Тренеру семинаров",
        "thinking": "Ищу в документах и считаю показатели…", "sources": "Источники", "figures": "Показатели", "pp": "п.п.",
        "recommendations": "Рекомендации", "problem": "Проблема", "actions": "Меры", "responsible": "Ответственные",
        "kpis": "Показатели (KPI)", "evidence": "Доказательства", "legal": "Правовая основа",
        "download_docx": "Скачать DOCX", "download_md": "Скачать Markdown", "feedback": "Оцените ответ",
        "comment": "Комментарий (необязательно)", "send_feedback": "Отправить отзыв", "thanks": "Спасибо за отзыв!",
        "no_index": "Индекс ещё не построен. Выполните `make run` или откройте раздел «Библиотека» и нажмите "
                    "«Переиндексировать».",
        "page": "с.", "row": "строка", "type": "Тип", "not_grounded": "Ответа в документах нет.",
        "filters": "Фильтры", "units": "Подразделения (пусто — все)", "years": "Годы", "level": "Уровень", "source": "Источник", "download_csv": "Данные (CSV)",
        "volumes": "Объём услуг по каналам", "paper_share": "Доля бумажных услуг, %", "workload": "Коэффициент нагрузки",
        "complaints": "Жалобы и восстановленные права", "violations": "Нарушения по отраслям, %",
        "awareness": "Разъяснительная работа и семинар «Люди прежде всего»", "threshold": "Порог перегрузки",
        "regional_department": "Управления области", "district": "Районы и г. Уральск",
        "city_department": "Отделы акимата Уральска",
        "documents": "Документы в индексе", "upload": "Добавить документы (PDF, DOCX, TXT, MD, CSV, XLSX)",
        "reindex": "Переиндексировать", "remove": "Удалить документ", "skipped": "Пропущенные файлы",
        "indexed_ok": "Документ добавлен", "indexing": "Индексирование…", "done": "Готово",
        "k": "Число источников в ответе", "doc_types": "Типы документов", "embedder": "Модель эмбеддингов",
        "index_status": "Состояние индекса", "built": "Построен", "chunks": "фрагментов", "status": "Статус",
        "pages": "Страниц", "lang_col": "Язык", "title_col": "Название",
        "llm_drafted": "Текст составлен моделью {model} по тем же источникам; каждое предложение проверено "
                       "(ссылка и числа). Убрано предложений: {removed}.",
        "llm": "Языковая модель (необязательно)", "llm_off": "выключена — ответы только из цитат документов",
        "llm_fallback": "Языковая модель недоступна или её текст не прошёл проверку — показан ответ из цитат "
                        "документов.",
    },
    "kk": {
        "app_title": "Qoljetim — мемлекеттік қызметтердің қолжетімділігі", "language": "Интерфейс тілі",
        "nav": "Бөлім", "chat": "Чат", "dashboard": "Көрсеткіштер", "library": "Кітапхана", "settings": "Баптаулар",
        "ask": "Мемлекеттік қызметтердің қолжетімділігі туралы сұрақ қойыңыз…", "new_chat": "Жаңа әңгіме",
        "history": "Әңгімелер", "starters": "Неден бастау керек", "civil_servant": "Мемлекеттік қызметшіге",
        "researcher": "Зерттеушіге", "trainer": "Семинар тренеріне",
        "thinking": "Құжаттардан іздеп, көрсеткіштерді есептеп жатырмын…", "sources": "Дереккөздер", "pp": "п.т.",
        "figures": "Көрсеткіштер", "recommendations": "Ұсынымдар", "problem": "Мәселе", "actions": "Шаралар",
        "responsible": "Жауаптылар", "kpis": "Көрсеткіштер (KPI)", "evidence": "Дәлелдер", "legal": "Құқықтық негіз",
        "download_docx": "DOCX жүктеу", "download_md": "Markdown жүктеу", "feedback": "Жауапты бағалаңыз",
        "comment": "Пікір (міндетті емес)", "send_feedback": "Пікір жіберу", "thanks": "Пікіріңізге рахмет!",
        "no_index": "Индекс әлі құрылмаған. `make run` орындаңыз немесе «Кітапхана» бөлімінде «Қайта "
                    "индекстеу» батырмасын басыңыз.",
        "page": "б.", "row": "жол", "type": "Түрі", "not_grounded": "Құжаттарда жауап жоқ.",
        "filters": "Сүзгілер", "units": "Бөлімшелер (бос — бәрі)", "years": "Жылдар", "level": "Деңгей", "source": "Дереккөз", "download_csv": "Деректер (CSV)",
        "volumes": "Арналар бойынша қызметтер көлемі", "paper_share": "Қағаз қызметтердің үлесі, %",
        "workload": "Жүктеме коэффициенті", "complaints": "Шағымдар және қалпына келтірілген құқықтар",
        "violations": "Салалар бойынша бұзушылықтар, %",
        "awareness": "Түсіндіру жұмысы және «Адамдар бірінші кезекте» семинары", "threshold": "Артық жүктеме шегі",
        "regional_department": "Облыс басқармалары", "district": "Аудандар және Орал қаласы",
        "city_department": "Орал қаласы әкімдігінің бөлімдері",
        "documents": "Индекстегі құжаттар", "upload": "Құжат қосу (PDF, DOCX, TXT, MD, CSV, XLSX)",
        "reindex": "Қайта индекстеу", "remove": "Құжатты жою", "skipped": "Өткізіп жіберілген файлдар",
        "indexed_ok": "Құжат қосылды", "indexing": "Индекстеу…", "done": "Дайын",
        "k": "Жауаптағы дереккөздер саны", "doc_types": "Құжат түрлері", "embedder": "Эмбеддинг моделі",
        "index_status": "Индекс күйі", "built": "Құрылды", "chunks": "фрагмент", "status": "Күйі",
        "pages": "Беттер", "lang_col": "Тіл", "title_col": "Атауы",
        "llm_drafted": "Мәтінді {model} моделі сол дереккөздер бойынша құрады; әр сөйлем тексерілді (сілтеме "
                       "және сандар). Алынып тасталған сөйлемдер: {removed}.",
        "llm": "Тілдік модель (міндетті емес)", "llm_off": "өшірулі — жауаптар тек құжаттардағы дәйексөздерден",
        "llm_fallback": "Тілдік модель қолжетімсіз немесе оның мәтіні тексеруден өтпеді — құжаттардан алынған "
                        "дәйексөздер негізіндегі жауап көрсетілді.",
    },
    "en": {
        "app_title": "Qoljetim — accessibility of public services", "language": "Interface language",
        "nav": "Section", "chat": "Chat", "dashboard": "Metrics", "library": "Library", "settings": "Settings",
        "ask": "Ask about the accessibility of public services…", "new_chat": "New conversation",
        "history": "Conversations", "starters": "Where to start", "civil_servant": "For civil servants",
        "researcher": "For researchers", "trainer": "For seminar trainers",
        "thinking": "Searching the documents and computing the figures…", "sources": "Sources", "figures": "Figures", "pp": "pp",
        "recommendations": "Recommendations", "problem": "Problem", "actions": "Actions",
        "responsible": "Responsible bodies", "kpis": "KPIs", "evidence": "Evidence", "legal": "Legal basis",
        "download_docx": "Download DOCX", "download_md": "Download Markdown", "feedback": "Rate this answer",
        "comment": "Comment (optional)", "send_feedback": "Send feedback", "thanks": "Thank you for the feedback!",
        "no_index": "The index is not built yet. Run `make run`, or open Library and press Re-index.",
        "page": "p.", "row": "row", "type": "Type", "not_grounded": "The documents do not answer this.",
        "filters": "Filters", "units": "Units (empty = all)", "years": "Years", "level": "Level", "source": "Source", "download_csv": "Data (CSV)",
        "volumes": "Services provided by channel", "paper_share": "Paper share of services, %",
        "workload": "Workload coefficient", "complaints": "Complaints and rights restored",
        "violations": "Violations by sector, %", "awareness": "Awareness work and the People First seminar",
        "threshold": "Overload threshold", "regional_department": "Regional departments",
        "district": "Districts and Uralsk city", "city_department": "Uralsk city departments",
        "documents": "Documents in the index", "upload": "Add documents (PDF, DOCX, TXT, MD, CSV, XLSX)",
        "reindex": "Re-index", "remove": "Remove a document", "skipped": "Skipped files",
        "indexed_ok": "Document added", "indexing": "Indexing…", "done": "Done",
        "k": "Sources per answer", "doc_types": "Document types", "embedder": "Embedding model",
        "index_status": "Index status", "built": "Built", "chunks": "chunks", "status": "Status",
        "pages": "Pages", "lang_col": "Language", "title_col": "Title",
        "llm_drafted": "Written by {model} from the same sources; every sentence was checked (citation and "
                       "figures). Sentences removed: {removed}.",
        "llm": "Language model (optional)", "llm_off": "off — answers quote the documents only",
        "llm_fallback": "The language model was unavailable or its text failed the check — showing the answer "
                        "quoted from the documents.",
    },
}

STARTERS = {
    "ru": {"civil_servant": ["Какие управления перегружены?", "Сколько жалоб поступило в 2024 году?"],
           "researcher": ["Что предложить для снижения нагрузки на отдел земельных отношений Уральска?",
                          "Составь SWOT-анализ системы госуслуг ЗКО"],
           "trainer": ["Подготовь бриф для тренеров семинара «Люди прежде всего»"]},
    "kk": {"civil_servant": ["Қай басқармалар артық жүктелген?", "2024 жылы қанша шағым түсті?"],
           "researcher": ["Орал қаласының жер қатынастары бөліміндегі жүктемені азайту үшін не ұсынасыз?",
                          "БҚО мемлекеттік қызметтер жүйесінің SWOT талдауын жаса"],
           "trainer": ["«Адамдар бірінші кезекте» семинарының тренерлеріне бриф дайында"]},
    "en": {"civil_servant": ["Which departments are overloaded?", "How many complaints were filed in 2024?"],
           "researcher": ["What should be done about the workload of the Uralsk land relations department?",
                          "Give me a SWOT analysis of public service delivery in the region"],
           "trainer": ["Prepare a brief for People First seminar trainers"]},
}


def t(lang: str, key: str) -> str:
    return LABELS.get(lang, LABELS["ru"]).get(key) or LABELS["en"].get(key, key)


# Accounts, jobs and the indexing queue (issue 11).
JOB_LABELS = {
    "ru": {"queued": "В очереди на индексирование", "waiting": "Ждут индексирования",
           "job_running": "Индексирование идёт", "job_queued": "Задание в очереди", "job_failed": "Задание не удалось",
           "job_done": "Последнее индексирование", "stage_reading": "чтение файлов", "stage_embedding": "векторизация",
           "first_build": "Индекс строится фоновым заданием; страница обновится сама.",
           "editors_only": "Добавлять и удалять документы могут редакторы и администраторы.",
           "login": "Вход", "user_name": "Имя", "password": "Пароль", "sign_in": "Войти", "sign_out": "Выйти",
           "login_failed": "Неверное имя или пароль (или учётная запись отключена).", "signed_in": "Вы вошли как"},
    "kk": {"queued": "Индекстеу кезегінде", "waiting": "Индекстеуді күтуде",
           "job_running": "Индекстеу жүріп жатыр", "job_queued": "Тапсырма кезекте", "job_failed": "Тапсырма орындалмады",
           "job_done": "Соңғы индекстеу", "stage_reading": "файлдарды оқу", "stage_embedding": "векторлау",
           "first_build": "Индекс фондық тапсырмамен құрылуда; бет өзі жаңарады.",
           "editors_only": "Құжаттарды редакторлар мен әкімшілер ғана қоса және жоя алады.",
           "login": "Кіру", "user_name": "Аты", "password": "Құпиясөз", "sign_in": "Кіру", "sign_out": "Шығу",
           "login_failed": "Аты немесе құпиясөз қате (немесе есептік жазба өшірілген).", "signed_in": "Сіз кірдіңіз:"},
    "en": {"queued": "Queued for indexing", "waiting": "Waiting to be indexed",
           "job_running": "Indexing in progress", "job_queued": "Job queued", "job_failed": "Job failed",
           "job_done": "Last indexing", "stage_reading": "reading files", "stage_embedding": "embedding",
           "first_build": "The index is being built by a background job; this page refreshes by itself.",
           "editors_only": "Only editors and administrators can add or remove documents.",
           "login": "Sign in", "user_name": "Name", "password": "Password", "sign_in": "Sign in",
           "sign_out": "Sign out", "login_failed": "Wrong name or password (or the account is disabled).",
           "signed_in": "Signed in as"},
}
for _lang, _labels in JOB_LABELS.items():
    LABELS[_lang].update(_labels)
    LABELS[_lang]["indexed_ok"] = _labels["queued"]
