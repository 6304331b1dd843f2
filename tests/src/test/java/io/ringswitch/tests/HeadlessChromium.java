package io.ringswitch.tests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium ({@code /usr/bin/chromium} under {@code /usr/bin/chromedriver}) as
 * the browser tests start it: no sandbox, GPU, background networking or first-run pages, a
 * profile of its own in the test's directory; and reading a string out of a page in one step.
 */
final class HeadlessChromium {
    private HeadlessChromium() {
    }

    /**
     * A browser with a window of {@code windowSize} ({@code 1400,1000}) and its profile in
     * {@code dir}/chromium-profile; {@code more} arguments are added as they are.
     */
    static WebDriver start(Path dir, String windowSize, String... more) throws IOException {
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        List<String> arguments = new ArrayList<>(List.of("--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--no-first-run",
                "--window-size=" + windowSize,
                "--user-data-dir=" + Files.createDirectories(dir.resolve("chromium-profile"))));
        arguments.addAll(List.of(more));
        options.addArguments(arguments);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile()).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    /**
     * The string {@code expression} gives in the page, read in one step: a page that redraws may
     * have dropped an element found in one call by the next.
     */
    static String text(WebDriver browser, String expression) {
        Object value = ((JavascriptExecutor) browser).executeScript("return String(" + expression + ");");
        return value == null ? "" : value.toString();
    }
}
