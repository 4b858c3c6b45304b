package io.sluice.adminui;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Debian's Chromium driven by Playwright, headless: never a browser Playwright downloads (the driver is told to skip
 * it, and the executable is given). Without {@code /usr/bin/chromium} the browser tests fail, saying how to install
 * it, rather than pass having run nothing.
 */
final class Chromium implements AutoCloseable {

    static final Path EXECUTABLE = Path.of(System.getProperty("sluice.chromium", "/usr/bin/chromium"));

    private final Playwright playwright;
    private final Browser browser;

    private Chromium(Playwright playwright, Browser browser) {
        this.playwright = playwright;
        this.browser = browser;
    }

    static Chromium launch() {
        if (!Files.isExecutable(EXECUTABLE)) {
            throw new IllegalStateException("The browser tests need Chromium at " + EXECUTABLE
                    + "; install it with: apt-get update && apt-get install -y chromium (.ci/run does)");
        }
        Playwright playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        try {
            Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                    .setExecutablePath(EXECUTABLE)
                    .setHeadless(true)
                    .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-background-networking",
                            "--disable-component-update", "--disable-sync", "--no-first-run")));
            return new Chromium(playwright, browser);
        } catch (RuntimeException e) {
            playwright.close();
            throw e;
        }
    }

    /** A page in a new context of its own: a 1280×800 window, 15 s for each wait; closed with the browser. */
    Page newPage() {
        BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 800));
        context.setDefaultTimeout(15_000);
        return context.newPage();
    }

    /** Closes the browser (its contexts with it), then Playwright's driver. */
    @Override
    public void close() {
        try {
            browser.close();
        } finally {
            playwright.close();
        }
    }
}
