<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru_RU">
<context>
    <name>App</name>
    <message>
        <location filename="../../studyapp/ui/app.py" line="98"/>
        <source>StudyApp is already running</source>
        <extracomment>Overrides the system locale for the interface and the default card language, e.g. &quot;ru&quot;. Compiled Qt translations (``studyapp_ru.qm``), made from the ``.ts`` sources beside them. Answers the benchmark drives through the real window after the first paint.</extracomment>
        <translation>StudyApp уже запущен</translation>
    </message>
</context>
<context>
    <name>DecksView</name>
    <message>
        <location filename="../../studyapp/ui/decks_view.py" line="75"/>
        <source>On</source>
        <extracomment>(query, deck key or &quot;&quot; for all decks)</extracomment>
        <translation>Вкл.</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/decks_view.py" line="75"/>
        <location filename="../../studyapp/ui/decks_view.py" line="98"/>
        <source>Deck</source>
        <translation>Колода</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/decks_view.py" line="75"/>
        <source>Cards</source>
        <translation>Карточки</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/decks_view.py" line="75"/>
        <location filename="../../studyapp/ui/decks_view.py" line="99"/>
        <source>Due</source>
        <translation>К повторению</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/decks_view.py" line="75"/>
        <source>New</source>
        <translation>Новые</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/decks_view.py" line="86"/>
        <source>Search cards (every language; prefix match)</source>
        <translation>Поиск карточек (на всех языках, по началу слова)</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/decks_view.py" line="89"/>
        <location filename="../../studyapp/ui/decks_view.py" line="178"/>
        <source>All decks</source>
        <translation>Все колоды</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/decks_view.py" line="97"/>
        <source>Question</source>
        <translation>Вопрос</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/decks_view.py" line="100"/>
        <location filename="../../studyapp/ui/decks_view.py" line="118"/>
        <source>Interval</source>
        <translation>Интервал</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/decks_view.py" line="101"/>
        <location filename="../../studyapp/ui/decks_view.py" line="119"/>
        <source>EF</source>
        <translation>EF</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/decks_view.py" line="102"/>
        <source>Reviews</source>
        <translation>Повторения</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/decks_view.py" line="115"/>
        <source>When</source>
        <translation>Когда</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/decks_view.py" line="116"/>
        <source>Grade</source>
        <translation>Оценка</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/decks_view.py" line="117"/>
        <source>Kind</source>
        <translation>Тип</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/decks_view.py" line="120"/>
        <source>Seconds</source>
        <translation>Секунды</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/decks_view.py" line="128"/>
        <source>&lt;b&gt;Decks&lt;/b&gt; — untick to leave a deck out of reviews</source>
        <translation>&lt;b&gt;Колоды&lt;/b&gt; — снимите флажок, чтобы исключить колоду из повторений</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/decks_view.py" line="188"/>
        <source>{0} problem(s) in deck files</source>
        <translation>Проблем в файлах колод: {0}</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/decks_view.py" line="189"/>
        <source>— these cards were skipped</source>
        <translation>— эти карточки пропущены</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/decks_view.py" line="205"/>
        <source>retired</source>
        <translation>выведена</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/decks_view.py" line="207"/>
        <source>new</source>
        <translation>новая</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/decks_view.py" line="211"/>
        <source> (due)</source>
        <translation> (пора)</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/decks_view.py" line="215"/>
        <source>{0} d</source>
        <translation>{0} дн.</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/decks_view.py" line="226"/>
        <source>{0} → {1} d</source>
        <translation>{0} → {1} дн.</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/decks_view.py" line="228"/>
        <source>re-drill</source>
        <translation>повтор в тот же день</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/decks_view.py" line="228"/>
        <source>review</source>
        <translation>повторение</translation>
    </message>
</context>
<context>
    <name>DrillsController</name>
    <message>
        <location filename="../../studyapp/ui/drills_controller.py" line="79"/>
        <source>Device: CUDA if available, else CPU</source>
        <extracomment>A drill&apos;s SM-2 schedule changed (a graded pass or a reveal): refresh the review page.</extracomment>
        <translation>Устройство: CUDA, если есть, иначе CPU</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/drills_controller.py" line="81"/>
        <source>Device: CPU (PyTorch not installed)</source>
        <translation>Устройство: CPU (PyTorch не установлен)</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/drills_controller.py" line="174"/>
        <source>The drill runner failed: {0}</source>
        <translation>Ошибка запуска упражнений: {0}</translation>
    </message>
</context>
<context>
    <name>DrillsView</name>
    <message>
        <location filename="../../studyapp/ui/drills_view.py" line="69"/>
        <source>Drill</source>
        <extracomment>(drill key, code, stdin, force CPU) (drill key, code): Ctrl+S and the autosave.</extracomment>
        <translation>Упражнение</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/drills_view.py" line="69"/>
        <source>Status</source>
        <translation>Статус</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/drills_view.py" line="73"/>
        <source>Choose a drill on the left</source>
        <translation>Выберите упражнение слева</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/drills_view.py" line="87"/>
        <source>Run  (Ctrl+Enter)</source>
        <translation>Запустить  (Ctrl+Enter)</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/drills_view.py" line="89"/>
        <source>Stop</source>
        <translation>Остановить</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/drills_view.py" line="91"/>
        <source>Reset to starter</source>
        <translation>Вернуть заготовку</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/drills_view.py" line="93"/>
        <source>Show reference solution</source>
        <translation>Показать эталонное решение</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/drills_view.py" line="95"/>
        <source>Available after a run; the drill then counts as given up today</source>
        <translation>Доступно после запуска; упражнение тогда считается сегодня сданным без решения</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/drills_view.py" line="98"/>
        <source>CPU only</source>
        <translation>Только CPU</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/drills_view.py" line="109"/>
        <source>Input for input() / stdin (empty: EOF)</source>
        <translation>Ввод для input() / stdin (пусто — EOF)</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/drills_view.py" line="122"/>
        <source>Test</source>
        <translation>Тест</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/drills_view.py" line="122"/>
        <source>Result</source>
        <translation>Результат</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/drills_view.py" line="131"/>
        <source>Output of print() appears here while it runs</source>
        <translation>Вывод print() появляется здесь во время запуска</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/drills_view.py" line="144"/>
        <source>Output</source>
        <translation>Вывод</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/drills_view.py" line="190"/>
        <source>{0} of {1} solved</source>
        <translation>решено {0} из {1}</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/drills_view.py" line="197"/>
        <source>✓ done</source>
        <translation>✓ решено</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/drills_view.py" line="199"/>
        <source>due · {0}</source>
        <translation>пора · {0}</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/drills_view.py" line="201"/>
        <source>due</source>
        <translation>пора</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/drills_view.py" line="223"/>
        <source>This drill needs PyTorch, which is not installed.</source>
        <translation>Для этого упражнения нужен PyTorch, а он не установлен.</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/drills_view.py" line="224"/>
        <source>Install it with: &lt;code&gt;pip install torch==2.13.0&lt;/code&gt;</source>
        <translation>Установите его: &lt;code&gt;pip install torch==2.13.0&lt;/code&gt;</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/drills_view.py" line="252"/>
        <source>Running…</source>
        <translation>Выполняется…</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/drills_view.py" line="315"/>
        <source>got</source>
        <translation>получено</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/drills_view.py" line="316"/>
        <source>expected</source>
        <translation>ожидалось</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/drills_view.py" line="333"/>
        <source># Reference solution
</source>
        <translation># Эталонное решение
</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/drills_view.py" line="350"/>
        <source>{0:.1f} s left</source>
        <translation>осталось {0:.1f} с</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../studyapp/ui/main_window.py" line="49"/>
        <source>show the answer</source>
        <extracomment>Shown in Help → Keyboard shortcuts and in the README.</extracomment>
        <translation>показать ответ</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/main_window.py" line="50"/>
        <source>grade the card (SM-2 quality)</source>
        <translation>оценить карточку (качество по SM-2)</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/main_window.py" line="51"/>
        <source>show the card in its other language</source>
        <translation>показать карточку на другом языке</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/main_window.py" line="52"/>
        <source>undo the last answer (several levels)</source>
        <translation>отменить последний ответ (несколько уровней)</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/main_window.py" line="53"/>
        <source>Review / Decks / Drills page</source>
        <translation>страница «Повторение» / «Колоды» / «Упражнения»</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/main_window.py" line="54"/>
        <source>run the drill&apos;s tests (in the editor)</source>
        <translation>запустить тесты упражнения (в редакторе)</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/main_window.py" line="55"/>
        <source>save the drill&apos;s code (it is also autosaved)</source>
        <translation>сохранить код упражнения (он сохраняется и автоматически)</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/main_window.py" line="56"/>
        <source>comment or uncomment lines (in the editor)</source>
        <translation>закомментировать или раскомментировать строки (в редакторе)</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/main_window.py" line="57"/>
        <source>re-read the deck files</source>
        <translation>перечитать файлы колод</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/main_window.py" line="58"/>
        <source>settings</source>
        <translation>настройки</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/main_window.py" line="59"/>
        <source>quit</source>
        <translation>выйти</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/main_window.py" line="158"/>
        <location filename="../../studyapp/ui/main_window.py" line="206"/>
        <source>Review</source>
        <extracomment>Emitted once the collection is open and the first screen is painted. Synced at start-up and on F5: the bundled decks, then the user&apos;s own folder.</extracomment>
        <translation>Повторение</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/main_window.py" line="158"/>
        <location filename="../../studyapp/ui/main_window.py" line="207"/>
        <source>Decks</source>
        <translation>Колоды</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/main_window.py" line="158"/>
        <location filename="../../studyapp/ui/main_window.py" line="208"/>
        <source>Drills</source>
        <translation>Упражнения</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/main_window.py" line="196"/>
        <source>&amp;File</source>
        <translation>&amp;Файл</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/main_window.py" line="197"/>
        <source>Re-read deck files</source>
        <translation>Перечитать файлы колод</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/main_window.py" line="198"/>
        <source>Settings…</source>
        <translation>Настройки…</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/main_window.py" line="200"/>
        <source>Quit</source>
        <translation>Выход</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/main_window.py" line="201"/>
        <source>&amp;Edit</source>
        <translation>&amp;Правка</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/main_window.py" line="203"/>
        <source>Undo answer</source>
        <translation>Отменить ответ</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/main_window.py" line="205"/>
        <source>&amp;View</source>
        <translation>&amp;Вид</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/main_window.py" line="209"/>
        <source>&amp;Help</source>
        <translation>&amp;Справка</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/main_window.py" line="210"/>
        <location filename="../../studyapp/ui/main_window.py" line="436"/>
        <source>Keyboard shortcuts</source>
        <translation>Сочетания клавиш</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/main_window.py" line="245"/>
        <source>The collection could not be opened.</source>
        <translation>Не удалось открыть коллекцию.</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/main_window.py" line="289"/>
        <source>The answer was not recorded: {0}</source>
        <translation>Ответ не записан: {0}</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/main_window.py" line="304"/>
        <source>Nothing to undo</source>
        <translation>Нечего отменять</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/main_window.py" line="311"/>
        <source>Answer undone</source>
        <translation>Ответ отменён</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/main_window.py" line="335"/>
        <source>Decks synced: {0} added, {1} updated, {2} retired, {3} problem(s)</source>
        <translation>Колоды синхронизированы: добавлено {0}, обновлено {1}, выведено {2}, проблем {3}</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/main_window.py" line="349"/>
        <source>{0} problem(s) in deck files — see the Decks page</source>
        <translation>Проблем в файлах колод: {0} — см. страницу «Колоды»</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/main_window.py" line="439"/>
        <source>Error: {0}</source>
        <translation>Ошибка: {0}</translation>
    </message>
</context>
<context>
    <name>ReviewView</name>
    <message>
        <location filename="../../studyapp/ui/review_view.py" line="31"/>
        <source>Blackout</source>
        <extracomment>Short button titles; the tooltip carries the full meaning from the 1987 text.</extracomment>
        <translation>Полный провал</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/review_view.py" line="32"/>
        <source>Wrong, familiar</source>
        <translation>Неверно, но знакомо</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/review_view.py" line="33"/>
        <source>Wrong, seemed easy</source>
        <translation>Неверно, казалось лёгким</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/review_view.py" line="34"/>
        <source>Hard</source>
        <translation>С трудом</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/review_view.py" line="35"/>
        <source>Hesitant</source>
        <translation>С заминкой</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/review_view.py" line="36"/>
        <source>Perfect</source>
        <translation>Отлично</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/review_view.py" line="40"/>
        <source>perfect response</source>
        <extracomment>SuperMemo-2&apos;s own words for the six grades (Wozniak, 1987).</extracomment>
        <translation>безупречный ответ</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/review_view.py" line="41"/>
        <source>correct response after a hesitation</source>
        <translation>правильный ответ после заминки</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/review_view.py" line="42"/>
        <source>correct response recalled with serious difficulty</source>
        <translation>правильный ответ, вспомненный с большим трудом</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/review_view.py" line="43"/>
        <source>incorrect response; where the correct one seemed easy to recall</source>
        <translation>неверный ответ; правильный, казалось, легко вспомнить</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/review_view.py" line="46"/>
        <source>incorrect response; the correct one remembered</source>
        <translation>неверный ответ; правильный вспомнился</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/review_view.py" line="47"/>
        <source>complete blackout</source>
        <translation>полный провал памяти</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/review_view.py" line="61"/>
        <source>{0} d</source>
        <extracomment>Card languages, named in their own language (as language menus do).</extracomment>
        <translation>{0} дн.</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/review_view.py" line="63"/>
        <source>{0} w</source>
        <translation>{0} нед.</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/review_view.py" line="65"/>
        <source>{0} mo</source>
        <translation>{0} мес.</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/review_view.py" line="66"/>
        <source>{0} y</source>
        <translation>{0} г.</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/review_view.py" line="110"/>
        <source>Show answer  (Space)</source>
        <extracomment>(quality, seconds taken) for the card on screen. The language the current card should be shown in (the flip button or key L). A due coding drill should be opened in the editor (its key). Emitted after a card (or the done page) has been painted; the benchmark listens to it.</extracomment>
        <translation>Показать ответ  (Пробел)</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/review_view.py" line="122"/>
        <source>{0}: {1}  (key {0})</source>
        <translation>{0}: {1}  (клавиша {0})</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/review_view.py" line="126"/>
        <source>Open in editor  (Enter)</source>
        <translation>Открыть в редакторе  (Enter)</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/review_view.py" line="129"/>
        <source>Passing the drill&apos;s tests grades it</source>
        <translation>Прохождение тестов упражнения выставляет оценку</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/review_view.py" line="148"/>
        <source>Opening your collection…</source>
        <translation>Открываем вашу коллекцию…</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/review_view.py" line="176"/>
        <source>New {0}</source>
        <translation>Новые {0}</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/review_view.py" line="177"/>
        <source>Due {0}</source>
        <translation>К повторению {0}</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/review_view.py" line="178"/>
        <source>Re-drill {0}</source>
        <translation>Повтор сегодня {0}</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/review_view.py" line="187"/>
        <source>Done for today</source>
        <translation>На сегодня всё</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/review_view.py" line="188"/>
        <source>You answered {0} today.</source>
        <translation>Сегодня ответов: {0}.</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/review_view.py" line="190"/>
        <source>Tomorrow: &lt;b&gt;{0}&lt;/b&gt; reviews due and up to &lt;b&gt;{1}&lt;/b&gt; new cards.</source>
        <translation>Завтра: повторений — &lt;b&gt;{0}&lt;/b&gt;, новых карточек — до &lt;b&gt;{1}&lt;/b&gt;.</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/review_view.py" line="193"/>
        <source>Ctrl+Z brings back the last answer.</source>
        <translation>Ctrl+Z вернёт последний ответ.</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/review_view.py" line="200"/>
        <source> · re-drill</source>
        <translation> · повтор сегодня</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/review_view.py" line="200"/>
        <source> · new</source>
        <translation> · новая</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/review_view.py" line="210"/>
        <source>Show this card in {0} (L)</source>
        <translation>Показать карточку на языке: {0} (L)</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/review_view.py" line="224"/>
        <source>again today</source>
        <translation>ещё раз сегодня</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/review_view.py" line="224"/>
        <source>done today</source>
        <translation>на сегодня всё</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/review_view.py" line="227"/>
        <source> + again today</source>
        <translation> + ещё раз сегодня</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../studyapp/ui/main_window.py" line="83"/>
        <source>Settings</source>
        <translation>Настройки</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/main_window.py" line="90"/>
        <source>System language ({0})</source>
        <translation>Язык системы ({0})</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/main_window.py" line="97"/>
        <source>Card language</source>
        <translation>Язык карточек</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/main_window.py" line="98"/>
        <source>A new study day starts at</source>
        <translation>Новый учебный день начинается в</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/main_window.py" line="99"/>
        <source>New cards per day</source>
        <translation>Новых карточек в день</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/main_window.py" line="100"/>
        <source>Reviews per day</source>
        <translation>Повторений в день</translation>
    </message>
    <message>
        <location filename="../../studyapp/ui/main_window.py" line="101"/>
        <source>Data folder</source>
        <translation>Папка данных</translation>
    </message>
</context>
</TS>
