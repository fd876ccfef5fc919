<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru_RU">
<context>
    <name>App</name>
    <message>
        <location filename="../../studyapp/ui/app.py" line="103"/>
        <source>StudyApp is already running</source>
        <extracomment>Overrides the system locale for the interface and the default card language, e.g. &quot;ru&quot;. Compiled Qt translations (``studyapp_ru.qm``), made from the ``.ts`` sources beside them. Answers the benchmark drives through the real window after the first paint.</extracomment>
        <translation>StudyApp уже запущен</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/app.py" line="105"/>
        <source>The data folder cannot be used</source>
        <translation>Папку данных нельзя использовать</translation>
    </message>
</context>
<context>
    <name>AttentionView</name>
    <message>
        <location filename="../../studyapp/ui/attention/controls.py" line="39"/>
        <source>Causal mask</source>
        <translation>Каузальная маска</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/attention/controls.py" line="42"/>
        <source>The last N positions of the last sequence are padding keys (masked)</source>
        <translation>Последние N позиций последней последовательности — ключи-паддинги (маскируются)</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/attention/controls.py" line="50"/>
        <source>Tokens separated by spaces; missing ones are named t4, t5, …</source>
        <translation>Токены через пробел; недостающие называются t4, t5, …</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/attention/controls.py" line="54"/>
        <source>Mistake mode</source>
        <translation>Режим ошибок</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/attention/controls.py" line="66"/>
        <source>Tokens</source>
        <translation>Токены</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/attention/controls.py" line="67"/>
        <source>Batch</source>
        <translation>Батч</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/attention/controls.py" line="68"/>
        <source>seq_len</source>
        <translation>seq_len</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/attention/controls.py" line="69"/>
        <source>d_model</source>
        <translation>d_model</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/attention/controls.py" line="70"/>
        <source>Heads</source>
        <translation>Головы</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/attention/controls.py" line="71"/>
        <source>Padding keys</source>
        <translation>Ключи-паддинги</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/attention/controls.py" line="72"/>
        <source>Weights seed</source>
        <translation>Seed весов</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/attention/controls.py" line="118"/>
        <source>◀ Previous</source>
        <translation>◀ Назад</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/attention/controls.py" line="119"/>
        <source>Next ▶</source>
        <translation>Вперёд ▶</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/attention/controls.py" line="125"/>
        <source>&lt;b&gt;Steps&lt;/b&gt; (← → keys)</source>
        <translation>&lt;b&gt;Шаги&lt;/b&gt; (клавиши ← →)</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/attention/step_detail.py" line="62"/>
        <source>Clear trace</source>
        <translation>Убрать трассировку</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/attention/tensor_views.py" line="554"/>
        <source>Batch item</source>
        <translation>Элемент батча</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/attention/mapping.py" line="62"/>
        <source>merge (weights · V)</source>
        <translation>слияние (веса · V)</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/attention/mapping.py" line="66"/>
        <location filename="../../studyapp/ui/attention/mapping.py" line="120"/>
        <source>Click a cell in either tensor.</source>
        <translation>Щёлкните ячейку в любом из тензоров.</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/attention/mapping.py" line="77"/>
        <source>Tensor</source>
        <translation>Тензор</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/attention/view.py" line="137"/>
        <source>Numbers</source>
        <extracomment>The current step changed (index); tests and benches wait on it. Asks the app to run a trace of (exercise key, code) on this page&apos;s inputs.</extracomment>
        <translation>Числа</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/attention/view.py" line="138"/>
        <source>Heatmap</source>
        <translation>Тепловая карта</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/attention/view.py" line="139"/>
        <source>Split ↔ merge</source>
        <translation>Разбиение ↔ слияние</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/attention/step_detail.py" line="87"/>
        <source>Export step as PNG…</source>
        <translation>Экспорт шага в PNG…</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/attention/step_detail.py" line="193"/>
        <source>Tracing your code in the drill runner…</source>
        <translation>Трассировка вашего кода в среде упражнений…</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/attention/step_detail.py" line="146"/>
        <source>This step is the same as without the mistake.</source>
        <translation>Этот шаг такой же, как без ошибки.</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/attention/step_detail.py" line="148"/>
        <source>Shape {0} instead of {1}.</source>
        <translation>Форма {0} вместо {1}.</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/attention/step_detail.py" line="155"/>
        <source>Differs from the correct step (red cells): max |Δ| = {0:.3g}.</source>
        <translation>Отличается от верного шага (красные ячейки): max |Δ| = {0:.3g}.</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/attention/step_detail.py" line="159"/>
        <source>Turn on the causal mask or padding to see this bug.</source>
        <translation>Включите каузальную маску или паддинг, чтобы увидеть эту ошибку.</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/attention/step_detail.py" line="42"/>
        <source>your code computes this step</source>
        <translation>ваш код вычисляет этот шаг</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/attention/step_detail.py" line="43"/>
        <source>your code never holds this tensor on its own (folded into a later expression) — fine</source>
        <translation>ваш код не хранит этот тензор отдельно (он внутри более позднего выражения) — это нормально</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/attention/step_detail.py" line="47"/>
        <source>your code goes wrong here</source>
        <translation>здесь ваш код ошибается</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/attention/step_detail.py" line="48"/>
        <source>not checked: it follows the first divergence</source>
        <translation>не проверяется: идёт после первого расхождения</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/attention/step_detail.py" line="175"/>
        <source>line {0}: &lt;code&gt;{1}&lt;/code&gt;</source>
        <translation>строка {0}: &lt;code&gt;{1}&lt;/code&gt;</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/attention/step_detail.py" line="179"/>
        <source>(max |Δ| = {0:.3g})</source>
        <translation>(max |Δ| = {0:.3g})</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/attention/step_detail.py" line="183"/>
        <source>Numbers: your tensor; red cells differ from the correct step.</source>
        <translation>Числа: ваш тензор; красные ячейки отличаются от верного шага.</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/attention/mapping.py" line="155"/>
        <source>{0}[b={1}, «{2}», d={3}] ↔ {4}[b={1}, head {5}, «{2}», j={6}]: column d = h·Dh + j = {5}·{7} + {6}.</source>
        <translation>{0}[b={1}, «{2}», d={3}] ↔ {4}[b={1}, голова {5}, «{2}», j={6}]: столбец d = h·Dh + j = {5}·{7} + {6}.</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/attention/mapping.py" line="168"/>
        <source>Same number: {0}.</source>
        <translation>То же число: {0}.</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/attention/mapping.py" line="171"/>
        <source>Different numbers ({0} vs {1}): with this bug the head tensor does not hold this token&apos;s values.</source>
        <translation>Числа разные ({0} и {1}): с этой ошибкой тензор голов не содержит значений этого токена.</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/attention/mapping.py" line="188"/>
        <source>Head {0} projects with the column block W_{1}[:, {2}:{3}] of the fused matrix: x @ W_{1}[:, {2}:{3}] equals head {0} of {1} (max |Δ| = {4:.2g}).</source>
        <translation>Голова {0} проецирует блоком столбцов W_{1}[:, {2}:{3}] общей матрицы: x @ W_{1}[:, {2}:{3}] равно голове {0} тензора {1} (max |Δ| = {4:.2g}).</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/attention/step_detail.py" line="201"/>
        <source>Your code could not be traced:</source>
        <translation>Не удалось трассировать ваш код:</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/attention/step_detail.py" line="211"/>
        <source>Your solution matches every step.</source>
        <translation>Ваше решение совпадает на каждом шаге.</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/attention/step_detail.py" line="218"/>
        <source>First divergence: {0}</source>
        <translation>Первое расхождение: {0}</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/attention/step_detail.py" line="225"/>
        <source>(traced without a mask, as in the drill)</source>
        <translation>(трассировка без маски, как в упражнении)</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/attention/view.py" line="461"/>
        <source>Export step as PNG</source>
        <translation>Экспорт шага в PNG</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/attention/view.py" line="461"/>
        <source>PNG image (*.png)</source>
        <translation>Изображение PNG (*.png)</translation>
    </message>
</context>
<context>
    <name>BackupController</name>
    <message>
        <location filename="../../studyapp/ui/backups/controller.py" line="209"/>
        <source>Backed up to {0}</source>
        <extracomment>The collection is about to be closed (restore, damage): drop the open session now. Open the collection again (after a restore or a new start) and show it. Put this text on the review page in place of a card (what is happening, what is wrong). The user chose to quit (a damaged collection, nothing restored). The window whose use is metered and over which the dialogs open. Backups run on their own lane, beside the database lane.</extracomment>
        <translation>Резервная копия сохранена: {0}</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/backups/controller.py" line="212"/>
        <source>The backup failed: {0}</source>
        <translation>Резервное копирование не удалось: {0}</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/backups/controller.py" line="244"/>
        <source>Restoring the backup…</source>
        <translation>Восстановление резервной копии…</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/backups/controller.py" line="259"/>
        <source>The backup was not restored</source>
        <translation>Резервная копия не восстановлена</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/backups/controller.py" line="264"/>
        <source>{0}

Your collection was not changed.</source>
        <translation>{0}

Ваша коллекция не изменена.</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/backups/controller.py" line="271"/>
        <source>Backup restored. The damaged file was kept as {0}</source>
        <translation>Резервная копия восстановлена. Повреждённый файл сохранён как {0}</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/backups/controller.py" line="275"/>
        <source>Backup restored. The previous state was backed up first.</source>
        <translation>Резервная копия восстановлена. Предыдущее состояние сохранено в резервной копии.</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/backups/controller.py" line="334"/>
        <source>The collection is damaged</source>
        <translation>Коллекция повреждена</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/backups/controller.py" line="337"/>
        <source>StudyApp cannot find your collection: the file is missing or empty, although this folder had one. An empty collection was not created in its place.</source>
        <translation>StudyApp не находит вашу коллекцию: файл отсутствует или пуст, хотя в этой папке она была. Пустая коллекция вместо неё не создана.</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/backups/controller.py" line="342"/>
        <source>StudyApp cannot open your collection because the file is damaged. It has not been changed.</source>
        <translation>StudyApp не может открыть вашу коллекцию: файл повреждён. Файл не был изменён.</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/backups/controller.py" line="346"/>
        <source>What is wrong: {0}
File: {1}</source>
        <translation>Что не так: {0}
Файл: {1}</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/backups/controller.py" line="351"/>
        <source>The newest good backup is from {0}. Restoring it keeps the damaged file beside it, renamed to collection.sqlite.damaged-YYYYMMDD-HHMMSS.</source>
        <translation>Самая новая исправная резервная копия — от {0}. При её восстановлении повреждённый файл остаётся рядом под именем collection.sqlite.damaged-ГГГГММДД-ЧЧММСС.</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/backups/controller.py" line="355"/>
        <source>Restore newest good backup ({0})</source>
        <translation>Восстановить самую новую исправную копию ({0})</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/backups/controller.py" line="360"/>
        <source>There is no usable backup in {0}. You can quit and keep the file for recovery, or start a new collection: the damaged file is then kept beside it, renamed to collection.sqlite.damaged-YYYYMMDD-HHMMSS.</source>
        <translation>В {0} нет пригодной резервной копии. Можно выйти и сохранить файл для восстановления или начать новую коллекцию: тогда повреждённый файл останется рядом под именем collection.sqlite.damaged-ГГГГММДД-ЧЧММСС.</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/backups/controller.py" line="365"/>
        <source>Start a new collection</source>
        <translation>Начать новую коллекцию</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/backups/controller.py" line="367"/>
        <source>Quit</source>
        <translation>Выйти</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/backups/controller.py" line="390"/>
        <source>Started a new collection. The damaged file was kept as {0}</source>
        <translation>Начата новая коллекция. Повреждённый файл сохранён как {0}</translation>
    </message>
</context>
<context>
    <name>Backups</name>
    <message>
        <location filename="../../studyapp/ui/backups/controller.py" line="65"/>
        <source>automatic</source>
        <extracomment>How often the window asks whether it is in use (and so whether a backup is due). Why a backup was made, as the restore dialog shows it.</extracomment>
        <translation>автоматически</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/backups/controller.py" line="66"/>
        <source>on closing</source>
        <translation>при закрытии</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/backups/controller.py" line="67"/>
        <source>manual</source>
        <translation>вручную</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/backups/controller.py" line="68"/>
        <source>before a restore</source>
        <translation>перед восстановлением</translation>
    </message>
</context>
<context>
    <name>DecksView</name>
    <message>
        <location filename="../../studyapp/ui/decks/view.py" line="131"/>
        <source>On</source>
        <extracomment>Rows a search shows at most (the collection&apos;s own default limit). (query, deck key or &quot;&quot; for all decks) &quot;Study this deck&quot;: review only this deck for the session (its key). A coding drill found by the search should open on the Drills page (its key). The language deck titles and questions are shown in (set with the decks). The search whose results are listed, and the row highlighted when a click began.</extracomment>
        <translation>Вкл.</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/decks/view.py" line="131"/>
        <location filename="../../studyapp/ui/decks/view.py" line="161"/>
        <source>Deck</source>
        <translation>Колода</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/decks/view.py" line="131"/>
        <source>Cards</source>
        <translation>Карточки</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/decks/view.py" line="131"/>
        <location filename="../../studyapp/ui/decks/view.py" line="162"/>
        <source>Due</source>
        <translation>К повторению</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/decks/view.py" line="131"/>
        <source>New</source>
        <translation>Новые</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/decks/view.py" line="137"/>
        <source>Study this deck</source>
        <translation>Учить только эту колоду</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/decks/view.py" line="138"/>
        <source>Review only this deck until you choose another</source>
        <translation>Повторять только эту колоду, пока не выберете другую</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/decks/view.py" line="184"/>
        <source>Search cards and drills (every language; prefix match)</source>
        <translation>Поиск карточек и упражнений (на всех языках, по началу слова)</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/decks/view.py" line="188"/>
        <location filename="../../studyapp/ui/decks/view.py" line="276"/>
        <source>All decks</source>
        <translation>Все колоды</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/decks/view.py" line="160"/>
        <source>Question</source>
        <translation>Вопрос</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/decks/view.py" line="163"/>
        <location filename="../../studyapp/ui/decks/view.py" line="208"/>
        <source>Interval</source>
        <translation>Интервал</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/decks/view.py" line="164"/>
        <location filename="../../studyapp/ui/decks/view.py" line="209"/>
        <source>EF</source>
        <translation>EF</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/decks/view.py" line="165"/>
        <source>Reviews</source>
        <translation>Повторения</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/decks/view.py" line="197"/>
        <source>Open on the Drills page</source>
        <translation>Открыть на странице «Упражнения»</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/decks/view.py" line="205"/>
        <source>When</source>
        <translation>Когда</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/decks/view.py" line="206"/>
        <source>Grade</source>
        <translation>Оценка</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/decks/view.py" line="207"/>
        <source>Kind</source>
        <translation>Тип</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/decks/view.py" line="210"/>
        <source>Seconds</source>
        <translation>Секунды</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/decks/view.py" line="148"/>
        <source>&lt;b&gt;Decks&lt;/b&gt; — untick to leave a deck out of reviews</source>
        <translation>&lt;b&gt;Колоды&lt;/b&gt; — снимите флажок, чтобы исключить колоду из повторений</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/decks/view.py" line="263"/>
        <source>Left out of reviews (tick to include it)</source>
        <translation>Не участвует в повторении (поставьте галочку, чтобы включить)</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/decks/view.py" line="286"/>
        <source>{0} problem(s) in deck files</source>
        <translation>Проблем в файлах колод: {0}</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/decks/view.py" line="287"/>
        <source>— these cards were skipped</source>
        <translation>— эти карточки пропущены</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/decks/view.py" line="322"/>
        <source>Nothing to preview: no card or drill matches this search.</source>
        <translation>Показывать нечего: поиску не соответствует ни одна карточка или упражнение.</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/decks/view.py" line="330"/>
        <source>retired</source>
        <translation>выведена</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/decks/view.py" line="332"/>
        <source>new</source>
        <translation>новая</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/decks/view.py" line="336"/>
        <source> (due)</source>
        <translation> (пора)</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/decks/view.py" line="342"/>
        <source>Drill · {0}</source>
        <translation>Упражнение · {0}</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/decks/view.py" line="342"/>
        <source>Drill</source>
        <translation>Упражнение</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/decks/view.py" line="343"/>
        <source>{0} d</source>
        <translation>{0} дн.</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/decks/view.py" line="352"/>
        <source>No cards or drills match “{0}”.</source>
        <translation>По запросу «{0}» ничего не найдено.</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/decks/view.py" line="354"/>
        <source>No cards in this deck.</source>
        <translation>В этой колоде нет карточек.</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/decks/view.py" line="359"/>
        <source>The first {0} matches are shown; type more to narrow the search.</source>
        <translation>Показаны первые {0} совпадений; уточните запрос, чтобы сузить поиск.</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/decks/view.py" line="364"/>
        <source>Matches: {0}</source>
        <translation>Найдено: {0}</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/decks/view.py" line="373"/>
        <source>{0} → {1} d</source>
        <translation>{0} → {1} дн.</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/decks/view.py" line="375"/>
        <source>re-drill</source>
        <translation>повтор в тот же день</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/decks/view.py" line="375"/>
        <source>review</source>
        <translation>повторение</translation>
    </message>
</context>
<context>
    <name>DrillsController</name>
    <message>
        <location filename="../../studyapp/ui/drills/controller.py" line="53"/>
        <source>Device: CUDA if available, else CPU</source>
        <extracomment>A drill&apos;s SM-2 schedule changed (a graded pass or a reveal): refresh the review page. True while a run is on the &quot;drill-run&quot; lane (one at a time), likewise for a trace.</extracomment>
        <translation>Устройство: CUDA, если есть, иначе CPU</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/drills/controller.py" line="55"/>
        <source>Device: CPU (PyTorch not installed)</source>
        <translation>Устройство: CPU (PyTorch не установлен)</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/drills/controller.py" line="164"/>
        <source>The drill runner failed: {0}</source>
        <translation>Ошибка запуска упражнений: {0}</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/drills/controller.py" line="196"/>
        <source> (line {0})</source>
        <translation> (строка {0})</translation>
    </message>
</context>
<context>
    <name>DrillsView</name>
    <message>
        <location filename="../../studyapp/ui/drills/view.py" line="72"/>
        <source>Drill</source>
        <extracomment>(drill key, code, stdin, force CPU) (drill key, code): Ctrl+S and the autosave. &quot;Visualize my solution&quot;: trace (drill key, code) on the Attention page.</extracomment>
        <translation>Упражнение</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/drills/view.py" line="72"/>
        <source>Status</source>
        <translation>Статус</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/drills/view.py" line="94"/>
        <source>Choose a drill on the left</source>
        <translation>Выберите упражнение слева</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/drills/view.py" line="116"/>
        <source>Run  (Ctrl+Enter)</source>
        <translation>Запустить  (Ctrl+Enter)</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/drills/view.py" line="118"/>
        <source>Stop</source>
        <translation>Остановить</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/drills/view.py" line="120"/>
        <source>Reset to starter</source>
        <translation>Вернуть заготовку</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/drills/view.py" line="122"/>
        <source>Show reference solution</source>
        <translation>Показать эталонное решение</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/drills/view.py" line="124"/>
        <source>Available after a run; the drill then counts as given up today</source>
        <translation>Доступно после запуска; упражнение тогда считается сегодня сданным без решения</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/drills/view.py" line="127"/>
        <source>Visualize my solution</source>
        <translation>Визуализировать моё решение</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/drills/view.py" line="129"/>
        <source>Trace your function step by step on the Attention page</source>
        <translation>Пошагово трассировать вашу функцию на странице «Внимание»</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/drills/view.py" line="133"/>
        <source>CPU only</source>
        <translation>Только CPU</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/drills/view.py" line="141"/>
        <source>Input for input() / stdin (empty: EOF)</source>
        <translation>Ввод для input() / stdin (пусто — EOF)</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/drills/view.py" line="161"/>
        <source>Test</source>
        <translation>Тест</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/drills/view.py" line="161"/>
        <source>Result</source>
        <translation>Результат</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/drills/view.py" line="169"/>
        <source>Output of print() appears here while it runs</source>
        <translation>Вывод print() появляется здесь во время запуска</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/drills/view.py" line="182"/>
        <source>Output</source>
        <translation>Вывод</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/drills/view.py" line="210"/>
        <source>{0} of {1} solved</source>
        <translation>решено {0} из {1}</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/drills/view.py" line="217"/>
        <source>✓ done</source>
        <translation>✓ решено</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/drills/view.py" line="219"/>
        <source>due · {0}</source>
        <translation>пора · {0}</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/drills/view.py" line="221"/>
        <source>due</source>
        <translation>пора</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/drills/view.py" line="250"/>
        <source>This drill needs PyTorch, which is not installed.</source>
        <translation>Для этого упражнения нужен PyTorch, а он не установлен.</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/drills/view.py" line="251"/>
        <source>Install it with: &lt;code&gt;pip install torch==2.13.0&lt;/code&gt;</source>
        <translation>Установите его: &lt;code&gt;pip install torch==2.13.0&lt;/code&gt;</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/drills/view.py" line="283"/>
        <source>Running…</source>
        <translation>Выполняется…</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/drills/view.py" line="346"/>
        <source>got</source>
        <translation>получено</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/drills/view.py" line="347"/>
        <source>expected</source>
        <translation>ожидалось</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/drills/view.py" line="352"/>
        <source>Hint</source>
        <translation>Подсказка</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/drills/view.py" line="358"/>
        <source>Printed</source>
        <translation>Напечатано</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/drills/view.py" line="361"/>
        <source>Test code</source>
        <translation>Код теста</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/drills/view.py" line="367"/>
        <source># Reference solution
</source>
        <translation># Эталонное решение
</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/drills/view.py" line="384"/>
        <source>{0:.1f} s left</source>
        <translation>осталось {0:.1f} с</translation>
    </message>
</context>
<context>
    <name>ExportDeckDialog</name>
    <message>
        <location filename="../../studyapp/ui/transfer/controller.py" line="95"/>
        <source>Export deck</source>
        <translation>Экспорт колоды</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/transfer/controller.py" line="98"/>
        <source>{0} ({1} cards)</source>
        <translation>{0} (карточек: {1})</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/transfer/controller.py" line="100"/>
        <source>Anki package (.apkg)</source>
        <translation>Пакет Anki (.apkg)</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/transfer/controller.py" line="101"/>
        <source>Markdown deck (.md)</source>
        <translation>Колода Markdown (.md)</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/transfer/controller.py" line="103"/>
        <source>Deck</source>
        <translation>Колода</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/transfer/controller.py" line="104"/>
        <source>Format</source>
        <translation>Формат</translation>
    </message>
</context>
<context>
    <name>Heatmap</name>
    <message>
        <location filename="../../studyapp/ui/attention/tensor_views.py" line="386"/>
        <source>head {0}</source>
        <extracomment>One hue per head (cycled), used by tables and heatmaps alike. Steps whose last axis is d_model columns that belong to heads (h = d // Dh). One map per head: from a pale tint of the head&apos;s colour to a dark shade of it. A single panel (no heads) is diverging around zero: blue below, red above. Cells are never drawn larger than this (a 1 × 4 tensor must not fill the page). The corner caption naming the row and the column axis. What the last paint drew: every text (labels, colour-bar ends, legend) and how many cells carry their value; tests read them.</extracomment>
        <translation>голова {0}</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/attention/tensor_views.py" line="525"/>
        <source>masked (left out of the softmax)</source>
        <translation>замаскировано (не входит в softmax)</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/attention/tensor_views.py" line="527"/>
        <source>differs from the correct step</source>
        <translation>отличается от правильного шага</translation>
    </message>
</context>
<context>
    <name>ImportDeckDialog</name>
    <message>
        <location filename="../../studyapp/ui/transfer/controller.py" line="57"/>
        <source>Import into which deck?</source>
        <translation>В какую колоду импортировать?</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/transfer/controller.py" line="66"/>
        <source>Pick an imported deck, or type the title of a new one.</source>
        <translation>Выберите импортированную колоду или введите название новой.</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/transfer/controller.py" line="67"/>
        <source>Deck</source>
        <translation>Колода</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../studyapp/ui/menus.py" line="20"/>
        <source>show the answer</source>
        <extracomment>Shown in Help → Keyboard shortcuts and in the README.</extracomment>
        <translation>показать ответ</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/menus.py" line="21"/>
        <source>grade the card (SM-2 quality)</source>
        <translation>оценить карточку (качество по SM-2)</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/menus.py" line="22"/>
        <source>show the card in its other language</source>
        <translation>показать карточку на другом языке</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/menus.py" line="23"/>
        <source>undo the last answer (several levels)</source>
        <translation>отменить последний ответ (несколько уровней)</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/menus.py" line="24"/>
        <source>Review / Decks / Drills page</source>
        <translation>страница «Повторение» / «Колоды» / «Упражнения»</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/menus.py" line="25"/>
        <source>Attention visualizer page</source>
        <translation>страница визуализатора внимания</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/menus.py" line="26"/>
        <source>Statistics page</source>
        <translation>страница «Статистика»</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/menus.py" line="27"/>
        <source>previous / next attention step</source>
        <translation>предыдущий / следующий шаг внимания</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/menus.py" line="28"/>
        <source>run the drill&apos;s tests (in the editor)</source>
        <translation>запустить тесты упражнения (в редакторе)</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/menus.py" line="29"/>
        <source>save the drill&apos;s code (it is also autosaved)</source>
        <translation>сохранить код упражнения (он сохраняется и автоматически)</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/menus.py" line="30"/>
        <source>comment or uncomment lines (in the editor)</source>
        <translation>закомментировать или раскомментировать строки (в редакторе)</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/menus.py" line="31"/>
        <source>re-read the deck files</source>
        <translation>перечитать файлы колод</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/menus.py" line="32"/>
        <source>settings</source>
        <translation>настройки</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/menus.py" line="33"/>
        <source>quit</source>
        <translation>выйти</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/main_window.py" line="168"/>
        <location filename="../../studyapp/ui/menus.py" line="60"/>
        <source>Review</source>
        <extracomment>Emitted once the collection is open and the first screen is painted. Synced at start-up and on F5: the bundled decks, then the user&apos;s own folder. The &quot;db&quot; lane: the one thread that owns the collection.</extracomment>
        <translation>Повторение</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/main_window.py" line="169"/>
        <location filename="../../studyapp/ui/menus.py" line="61"/>
        <source>Decks</source>
        <translation>Колоды</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/main_window.py" line="170"/>
        <location filename="../../studyapp/ui/menus.py" line="62"/>
        <source>Drills</source>
        <translation>Упражнения</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/main_window.py" line="171"/>
        <location filename="../../studyapp/ui/menus.py" line="63"/>
        <source>Attention</source>
        <translation>Внимание</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/main_window.py" line="172"/>
        <location filename="../../studyapp/ui/menus.py" line="64"/>
        <source>Statistics</source>
        <translation>Статистика</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/menus.py" line="42"/>
        <source>&amp;File</source>
        <extracomment>Each menu: its title and its entries (slot name, title, shortcut); None is a separator. (``QT_TRANSLATE_NOOP`` is typed as returning ``object``; the texts are all ``str``.)</extracomment>
        <translation>&amp;Файл</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/menus.py" line="44"/>
        <source>Re-read deck files</source>
        <translation>Перечитать файлы колод</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/menus.py" line="45"/>
        <source>Import…</source>
        <translation>Импорт…</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/menus.py" line="46"/>
        <source>Export deck…</source>
        <translation>Экспорт колоды…</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/menus.py" line="47"/>
        <source>Export collection…</source>
        <translation>Экспорт коллекции…</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/menus.py" line="48"/>
        <source>Settings…</source>
        <translation>Настройки…</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/menus.py" line="50"/>
        <source>Quit</source>
        <translation>Выход</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/menus.py" line="54"/>
        <source>&amp;Edit</source>
        <translation>&amp;Правка</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/menus.py" line="55"/>
        <source>Undo answer</source>
        <translation>Отменить ответ</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/menus.py" line="58"/>
        <source>&amp;View</source>
        <translation>&amp;Вид</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/menus.py" line="68"/>
        <source>&amp;Help</source>
        <translation>&amp;Справка</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/menus.py" line="69"/>
        <source>Keyboard shortcuts</source>
        <translation>Сочетания клавиш</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/main_window.py" line="261"/>
        <source>The collection could not be opened.</source>
        <translation>Не удалось открыть коллекцию.</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/main_window.py" line="319"/>
        <source>The answer was not recorded: {0}</source>
        <translation>Ответ не записан: {0}</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/main_window.py" line="334"/>
        <source>Nothing to undo</source>
        <translation>Нечего отменять</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/main_window.py" line="341"/>
        <source>Answer undone</source>
        <translation>Ответ отменён</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/main_window.py" line="367"/>
        <source>Decks synced: {0} added, {1} updated, {2} retired, {3} problem(s)</source>
        <translation>Колоды синхронизированы: добавлено {0}, обновлено {1}, выведено {2}, проблем {3}</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/main_window.py" line="382"/>
        <source>{0} problem(s) in deck files — see the Decks page</source>
        <translation>Проблем в файлах колод: {0} — см. страницу «Колоды»</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/main_window.py" line="497"/>
        <source>Error: {0} (details in {1})</source>
        <translation>Ошибка: {0} (подробности в {1})</translation>
    </message>
</context>
<context>
    <name>RestoreDialog</name>
    <message>
        <location filename="../../studyapp/ui/backups/controller.py" line="88"/>
        <location filename="../../studyapp/ui/backups/controller.py" line="146"/>
        <source>Restore from backup</source>
        <translation>Восстановление из резервной копии</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/backups/controller.py" line="93"/>
        <source>Date</source>
        <translation>Дата</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/backups/controller.py" line="93"/>
        <source>Size</source>
        <translation>Размер</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/backups/controller.py" line="93"/>
        <source>Made</source>
        <translation>Создана</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/backups/controller.py" line="103"/>
        <source>{0} — unreadable</source>
        <translation>{0} — не читается</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/backups/controller.py" line="111"/>
        <source>Backups are kept in {0}. Restoring replaces your collection with the chosen backup; your current collection is backed up first.</source>
        <translation>Резервные копии хранятся в {0}. Восстановление заменяет вашу коллекцию выбранной копией; перед этим делается резервная копия текущей коллекции.</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/backups/controller.py" line="117"/>
        <source>There are no backups yet.</source>
        <translation>Резервных копий пока нет.</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/backups/controller.py" line="120"/>
        <source>Restore…</source>
        <translation>Восстановить…</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/backups/controller.py" line="147"/>
        <source>Replace your collection with the backup from {0}?</source>
        <translation>Заменить вашу коллекцию резервной копией от {0}?</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/backups/controller.py" line="152"/>
        <source>Your current collection is backed up first, so this can be undone.</source>
        <translation>Сначала будет сделана резервная копия текущей коллекции, так что это можно отменить.</translation>
    </message>
</context>
<context>
    <name>ReviewView</name>
    <message>
        <location filename="../../studyapp/ui/review/view.py" line="52"/>
        <source>Blackout</source>
        <extracomment>Red for a blackout through amber to green for a perfect answer (readable on light and dark). Short button titles; the tooltip carries the full meaning from the 1987 text.</extracomment>
        <translation>Полный провал</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/review/view.py" line="53"/>
        <source>Wrong, familiar</source>
        <translation>Неверно, но знакомо</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/review/view.py" line="54"/>
        <source>Wrong, seemed easy</source>
        <translation>Неверно, казалось лёгким</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/review/view.py" line="55"/>
        <source>Hard</source>
        <translation>С трудом</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/review/view.py" line="56"/>
        <source>Hesitant</source>
        <translation>С заминкой</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/review/view.py" line="57"/>
        <source>Perfect</source>
        <translation>Отлично</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/review/view.py" line="61"/>
        <source>perfect response</source>
        <extracomment>SuperMemo-2&apos;s own words for the six grades (Wozniak, 1987).</extracomment>
        <translation>безупречный ответ</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/review/view.py" line="62"/>
        <source>correct response after a hesitation</source>
        <translation>правильный ответ после заминки</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/review/view.py" line="63"/>
        <source>correct response recalled with serious difficulty</source>
        <translation>правильный ответ, вспомненный с большим трудом</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/review/view.py" line="64"/>
        <source>incorrect response; where the correct one seemed easy to recall</source>
        <translation>неверный ответ; правильный, казалось, легко вспомнить</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/review/view.py" line="67"/>
        <source>incorrect response; the correct one remembered</source>
        <translation>неверный ответ; правильный вспомнился</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/review/view.py" line="68"/>
        <source>complete blackout</source>
        <translation>полный провал памяти</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/review/view.py" line="97"/>
        <source>{0} s</source>
        <extracomment>Card languages, named in their own language (as language menus do).</extracomment>
        <translation>{0} с</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/review/view.py" line="99"/>
        <source>{0} min {1:02d} s</source>
        <translation>{0} мин {1:02d} с</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/review/view.py" line="100"/>
        <source>{0} h {1:02d} min</source>
        <translation>{0} ч {1:02d} мин</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/review/view.py" line="107"/>
        <source>{0} d</source>
        <translation>{0} дн.</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/review/view.py" line="109"/>
        <source>{0} w</source>
        <translation>{0} нед.</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/review/view.py" line="111"/>
        <source>{0} mo</source>
        <translation>{0} мес.</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/review/view.py" line="112"/>
        <source>{0} y</source>
        <translation>{0} г.</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/review/view.py" line="174"/>
        <source>Study every deck, or only one deck or tag for now</source>
        <translation>Учить все колоды или пока только одну колоду или тег</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/review/view.py" line="138"/>
        <location filename="../../studyapp/ui/review/view.py" line="177"/>
        <location filename="../../studyapp/ui/review/view.py" line="232"/>
        <source>All decks</source>
        <extracomment>(quality, seconds taken) for the card on screen. The language the current card should be shown in (the flip button or key L). A due coding drill should be opened in the editor (its key). Emitted after a card (or the done page) has been painted; the benchmark listens to it. The learner chose what to study (a ``StudyScope``; every deck when empty).</extracomment>
        <translation>Все колоды</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/review/view.py" line="187"/>
        <source>Study:</source>
        <translation>Учить:</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/review/view.py" line="198"/>
        <source>Show answer  (Space)</source>
        <translation>Показать ответ  (Пробел)</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/review/view.py" line="211"/>
        <source>{0}: {1}  (key {0})</source>
        <translation>{0}: {1}  (клавиша {0})</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/review/view.py" line="215"/>
        <source>Open in editor  (Enter)</source>
        <translation>Открыть в редакторе  (Enter)</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/review/view.py" line="218"/>
        <source>Passing the drill&apos;s tests grades it</source>
        <translation>Прохождение тестов упражнения выставляет оценку</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/review/view.py" line="159"/>
        <source>Opening your collection…</source>
        <translation>Открываем вашу коллекцию…</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/review/view.py" line="238"/>
        <location filename="../../studyapp/ui/review/view.py" line="249"/>
        <source>Tag: {0}</source>
        <translation>Тег: {0}</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/review/view.py" line="285"/>
        <source>New {0}</source>
        <translation>Новые {0}</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/review/view.py" line="286"/>
        <source>Due {0}</source>
        <translation>К повторению {0}</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/review/view.py" line="287"/>
        <source>Re-drill {0}</source>
        <translation>Повтор сегодня {0}</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/review/view.py" line="322"/>
        <source>Done for today</source>
        <translation>На сегодня всё</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/review/view.py" line="324"/>
        <source>Nothing more to study in “{0}” today</source>
        <translation>В «{0}» на сегодня всё</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/review/view.py" line="329"/>
        <source>You answered {0} today.</source>
        <translation>Сегодня ответов: {0}.</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/review/view.py" line="332"/>
        <source>Tomorrow: &lt;b&gt;{0}&lt;/b&gt; reviews due and up to &lt;b&gt;{1}&lt;/b&gt; new cards.</source>
        <translation>Завтра: повторений — &lt;b&gt;{0}&lt;/b&gt;, новых карточек — до &lt;b&gt;{1}&lt;/b&gt;.</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/review/view.py" line="338"/>
        <source>Study all decks</source>
        <translation>Учить все колоды</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/review/view.py" line="340"/>
        <source>Ctrl+Z brings back the last answer.</source>
        <translation>Ctrl+Z вернёт последний ответ.</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/review/view.py" line="298"/>
        <source> · re-drill</source>
        <translation> · повтор сегодня</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/review/view.py" line="298"/>
        <source> · new</source>
        <translation> · новая</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/review/view.py" line="308"/>
        <source>Show this card in {0} (L)</source>
        <translation>Показать карточку на языке: {0} (L)</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/review/view.py" line="345"/>
        <source>Answered in this session</source>
        <translation>Ответов за этот сеанс</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/review/view.py" line="353"/>
        <source>Grades</source>
        <translation>Оценки</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/review/view.py" line="354"/>
        <source>Time</source>
        <translation>Время</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/review/view.py" line="358"/>
        <source>Next review due</source>
        <translation>Следующее повторение</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/review/view.py" line="371"/>
        <source>tomorrow</source>
        <translation>завтра</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/review/view.py" line="372"/>
        <source>in {0} days ({1})</source>
        <translation>через {0} дн. ({1})</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/review/view.py" line="379"/>
        <source>again today</source>
        <translation>ещё раз сегодня</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/review/view.py" line="379"/>
        <source>done today</source>
        <translation>на сегодня всё</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/review/view.py" line="382"/>
        <source> + again today</source>
        <translation> + ещё раз сегодня</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../studyapp/ui/settings_dialog.py" line="40"/>
        <source>Settings</source>
        <translation>Настройки</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/settings_dialog.py" line="47"/>
        <source>System language ({0})</source>
        <translation>Язык системы ({0})</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/settings_dialog.py" line="54"/>
        <source>Card language</source>
        <translation>Язык карточек</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/settings_dialog.py" line="55"/>
        <source>A new study day starts at</source>
        <translation>Новый учебный день начинается в</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/settings_dialog.py" line="56"/>
        <source>New cards per day</source>
        <translation>Новых карточек в день</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/settings_dialog.py" line="57"/>
        <source>Reviews per day</source>
        <translation>Повторений в день</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/settings_dialog.py" line="59"/>
        <source>Mixed across decks</source>
        <translation>Вперемешку из всех колод</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/settings_dialog.py" line="60"/>
        <source>Deck by deck</source>
        <translation>По колодам, одна за другой</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/settings_dialog.py" line="62"/>
        <source>New cards come</source>
        <translation>Порядок новых карточек</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/settings_dialog.py" line="63"/>
        <source>Data folder</source>
        <translation>Папка данных</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/settings_dialog.py" line="66"/>
        <source>Backups folder</source>
        <translation>Папка резервных копий</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/settings_dialog.py" line="67"/>
        <source>Restore from backup…</source>
        <translation>Восстановить из резервной копии…</translation>
    </message>
</context>
<context>
    <name>StatsView</name>
    <message>
        <location filename="../../studyapp/ui/stats/view.py" line="231"/>
        <source>Statistics</source>
        <extracomment>Canvas heights in pixels: a day axis wide and low, the calendar lower still. The range switch, in days: ``studyapp.core.stats.queries.RANGES``, written out so that the window does not import the statistics modules (and their dataclasses) at start-up. Exported PNGs are drawn at this resolution, whatever the screen&apos;s. (font, size in points, dpi) -&gt; ascent, descent and line gap in pixels. matplotlib&apos;s own sans-serif font, so that Qt&apos;s texts are as wide as it measured them. The page wants statistics for this many days (it was shown, or the range changed). Every chart has been drawn from the latest statistics. Charts whose picture is older than the statistics or the palette (drawn when shown). How many times the charts were drawn (the benchmark and tests wait on it). How many charts were drawn from statistics, one by one (tests count them).</extracomment>
        <translation>Статистика</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/stats/view.py" line="235"/>
        <source>30 days</source>
        <translation>30 дней</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/stats/view.py" line="235"/>
        <source>90 days</source>
        <translation>90 дней</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/stats/view.py" line="235"/>
        <source>1 year</source>
        <translation>1 год</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/stats/view.py" line="288"/>
        <source>Current streak: {0} d · Longest streak: {1} d · Days studied in the last year: {2} · Answers in this range: {3} ({4} reviews, {5} same-day re-drills)</source>
        <translation>Текущая серия: {0} дн. · Самая длинная серия: {1} дн. · Дней с занятиями за год: {2} · Ответов за период: {3} ({4} повторений, {5} повторов в тот же день)</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/stats/view.py" line="324"/>
        <source>Export PNG…</source>
        <translation>Экспорт в PNG…</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/stats/view.py" line="326"/>
        <source>Save this chart as a PNG image</source>
        <translation>Сохранить этот график как изображение PNG</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/stats/view.py" line="356"/>
        <source>Reviews per day</source>
        <translation>Повторения по дням</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/stats/view.py" line="357"/>
        <source>Study days (current streak {0} d, longest {1} d)</source>
        <translation>Дни занятий (текущая серия {0} дн., самая длинная {1} дн.)</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/stats/view.py" line="358"/>
        <source>Due in the next 30 days</source>
        <translation>К повторению в ближайшие 30 дней</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/stats/view.py" line="359"/>
        <source>Time spent per day</source>
        <translation>Время занятий по дням</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/stats/view.py" line="360"/>
        <source>Retention by interval</source>
        <translation>Запоминание по интервалу</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/stats/view.py" line="361"/>
        <source>Retention over time (per week)</source>
        <translation>Запоминание во времени (по неделям)</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/stats/view.py" line="362"/>
        <source>E-Factors</source>
        <translation>E-факторы</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/stats/view.py" line="363"/>
        <source>Intervals</source>
        <translation>Интервалы</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/stats/view.py" line="364"/>
        <source>Drills per track</source>
        <translation>Упражнения по направлениям</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/stats/view.py" line="365"/>
        <source>answers</source>
        <translation>ответы</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/stats/view.py" line="378"/>
        <source>No retention tests yet: an item&apos;s first answers only teach it;</source>
        <translation>Проверок запоминания пока нет: первые ответы по элементу только учат его;</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/stats/view.py" line="380"/>
        <source>retention counts the answers when it comes back after a day or more</source>
        <translation>запоминание считается по ответам, когда элемент возвращается через день и позже</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/stats/view.py" line="382"/>
        <source>today</source>
        <translation>сегодня</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/stats/view.py" line="366"/>
        <source>items</source>
        <translation>элементы</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/stats/view.py" line="367"/>
        <source>minutes</source>
        <translation>минуты</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/stats/view.py" line="368"/>
        <source>graded ≥ 3, %</source>
        <translation>оценка ≥ 3, %</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/stats/view.py" line="369"/>
        <source>interval before the review (days)</source>
        <translation>интервал до повторения (дни)</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/stats/view.py" line="370"/>
        <source>current interval (days)</source>
        <translation>текущий интервал (дни)</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/stats/view.py" line="371"/>
        <source>E-Factor</source>
        <translation>E-фактор</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/stats/view.py" line="372"/>
        <source>grade {0}</source>
        <translation>оценка {0}</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/stats/view.py" line="373"/>
        <source>re-drill</source>
        <translation>повтор в тот же день</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/stats/view.py" line="374"/>
        <source>pass rate</source>
        <translation>доля успешных запусков</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/stats/view.py" line="375"/>
        <source>first-try pass rate</source>
        <translation>успех с первой попытки</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/stats/view.py" line="376"/>
        <source>{0} ({1} runs)</source>
        <translation>{0} (запусков: {1})</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/stats/view.py" line="377"/>
        <source>No reviews yet</source>
        <translation>Повторений пока нет</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/stats/view.py" line="381"/>
        <source>No drill runs yet</source>
        <translation>Запусков упражнений пока нет</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/stats/view.py" line="486"/>
        <location filename="../../studyapp/ui/stats/view.py" line="498"/>
        <source>Export chart</source>
        <translation>Экспорт графика</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/stats/view.py" line="488"/>
        <source>PNG images (*.png)</source>
        <translation>Изображения PNG (*.png)</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/stats/view.py" line="499"/>
        <source>Could not write {0}: {1}</source>
        <translation>Не удалось записать {0}: {1}</translation>
    </message>
</context>
<context>
    <name>TransferController</name>
    <message>
        <location filename="../../studyapp/ui/transfer/controller.py" line="142"/>
        <location filename="../../studyapp/ui/transfer/controller.py" line="184"/>
        <source>Import</source>
        <extracomment>Emitted on the GUI thread when an import or export has finished (ok or not). An import wrote cards: the pages showing them should refresh. The window the dialogs and messages open over. The last message shown (tests read and close it).</extracomment>
        <translation>Импорт</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/transfer/controller.py" line="144"/>
        <source>Anki packages and CSV/TSV (*.apkg *.colpkg *.csv *.tsv *.txt);;All files (*)</source>
        <translation>Пакеты Anki и CSV/TSV (*.apkg *.colpkg *.csv *.tsv *.txt);;Все файлы (*)</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/transfer/controller.py" line="182"/>
        <source>Reading {0}…</source>
        <translation>Чтение {0}…</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/transfer/controller.py" line="182"/>
        <source>Cancel</source>
        <translation>Отмена</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/transfer/controller.py" line="213"/>
        <source>Cancelling…</source>
        <translation>Отмена…</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/transfer/controller.py" line="228"/>
        <source>Importing {0} cards…</source>
        <translation>Импорт карточек: {0}…</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/transfer/controller.py" line="245"/>
        <source>{0} card(s) added, {1} updated, {2} unchanged; {3} review(s), {4} media file(s).</source>
        <translation>Карточек добавлено: {0}, обновлено: {1}, без изменений: {2}; ответов: {3}, медиафайлов: {4}.</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/transfer/controller.py" line="255"/>
        <source>Import cancelled; nothing was changed.</source>
        <translation>Импорт отменён; ничего не изменено.</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/transfer/controller.py" line="259"/>
        <source>Nothing was imported.</source>
        <translation>Ничего не импортировано.</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/transfer/controller.py" line="296"/>
        <source>Anki package</source>
        <translation>Пакет Anki</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/transfer/controller.py" line="296"/>
        <source>Markdown deck</source>
        <translation>Колода Markdown</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/transfer/controller.py" line="299"/>
        <source>Export deck</source>
        <translation>Экспорт колоды</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/transfer/controller.py" line="321"/>
        <source>Exported {0} card(s) to {1}</source>
        <translation>Экспортировано карточек: {0} в {1}</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/transfer/controller.py" line="336"/>
        <source>Export collection</source>
        <translation>Экспорт коллекции</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/transfer/controller.py" line="338"/>
        <source>StudyApp backup (*{0})</source>
        <translation>Резервная копия StudyApp (*{0})</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/transfer/controller.py" line="356"/>
        <source>Collection exported to {0}</source>
        <translation>Коллекция экспортирована в {0}</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/transfer/controller.py" line="363"/>
        <source>The export failed.</source>
        <translation>Экспорт не удался.</translation>
    </message>
</context>
</TS>
