package dev.tollgate.testing;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

import dev.tollgate.Algorithm;
import dev.tollgate.JwtValidationException;
import dev.tollgate.JwtValidator;
import dev.tollgate.Reason;
import dev.tollgate.internal.Base64Url;
import dev.tollgate.internal.Json;
import dev.tollgate.internal.JsonException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * A catalogue of known attacks on JWT validators, minted by a {@link TestIssuer}, and one call that
 * asserts a validator refuses every one of them, each for a reason that shows the right defence
 * stopped it.
 *
 * <pre>{@code
 * TestIssuer idp = TestIssuer.create(Algorithm.ES256);
 * JwtValidator validator = idp.validator(); // or the validator your application builds
 * AttackSuite.against(idp).assertRefusedBy(validator);
 * }</pre>
 *
 * <p>Point it at the validator your application really builds, given the issuer's {@link
 * TestIssuer#keys() keys} (or a {@link JwksServer} that serves them), issuer, audience and clock:
 * the suite then tests your configuration, not Tollgate's defaults. It first presents the issuer's
 * {@link TestIssuer#validToken() valid token}; if the validator refuses it, refusing the attacks
 * would prove nothing, and the suite fails at once, saying which setting differs. Then it presents
 * each attack and fails with one {@link AssertionError} (a JDK type: any test framework reports it)
 * that names every attack the validator accepted, refused for a reason outside the attack's {@link
 * Attack#acceptableReasons() acceptable reasons}, or answered by throwing something else. The
 * message never contains a token.
 *
 * <p>Each attack is a valid token with one thing changed, so a refusal for another reason than the
 * attack's means the check meant for it let it through and a later check happened to stop it: an
 * attacker who also gets that later part right would pass. A token longer than the valid one may
 * also be refused as {@link Reason#TOO_LARGE}; that shows only that the length limit is shorter
 * than the attack.
 *
 * <p>The attacks, by name (some only for the issuers named in brackets):
 *
 * <ul>
 *   <li>Unsigned tokens: {@code alg-none}, {@code alg-None}, {@code alg-NONE}, {@code alg-nOnE},
 *       refused with {@code ALGORITHM_NOT_ALLOWED}.
 *   <li>Forged signatures: {@code stripped-signature}, {@code altered-payload}, {@code
 *       signed-by-another-key}, {@code ecdsa-zero-signature} and {@code ecdsa-order-signature}
 *       (ES*), refused with {@code BAD_SIGNATURE} ({@code stripped-signature} also {@code
 *       MALFORMED}).
 *   <li>Malleated signatures: {@code signature-padding}, {@code signature-non-canonical} (when the
 *       signature's length leaves unused base64 bits), refused with {@code MALFORMED} or {@code
 *       BAD_SIGNATURE}.
 *   <li>Algorithm confusion and guessable secrets: {@code hmac-confusion-pem}, {@code
 *       hmac-confusion-der}, {@code hmac-confusion-jwk} (public-key issuers), {@code
 *       weak-hmac-secret}, refused with {@code ALGORITHM_NOT_ALLOWED}, {@code KEY_NOT_FOUND} or
 *       {@code BAD_SIGNATURE}.
 *   <li>Key injection: {@code jwk-header}, {@code jwk-header-trusted-kid}, {@code jku-header},
 *       {@code x5u-header}, {@code x5c-header} (public-key issuers), refused with {@code
 *       KEY_NOT_FOUND} or {@code BAD_SIGNATURE}; a validator that tries to fetch the attacker's URL
 *       and fails with {@code KEYS_UNAVAILABLE} is reported.
 *   <li>Key id injection: {@code kid-path-traversal}, {@code kid-sql-injection}, {@code kid-empty},
 *       refused with {@code ALGORITHM_NOT_ALLOWED}, {@code KEY_NOT_FOUND} or {@code BAD_SIGNATURE}.
 *   <li>Headers: {@code crit-unknown} and {@code b64-false} ({@code UNSUPPORTED_CRITICAL_HEADER};
 *       {@code b64-false} also {@code MALFORMED}), {@code typ-dpop} ({@code TYPE_MISMATCH}), {@code
 *       jwe} ({@code MALFORMED} or {@code ALGORITHM_NOT_ALLOWED}).
 *   <li>Claims: {@code expired} ({@code EXPIRED} or {@code TOO_OLD}), {@code exp-as-string} ({@code
 *       CLAIM_INVALID}, {@code EXPIRED} or {@code MALFORMED}), {@code exp-missing} ({@code
 *       MISSING_CLAIM}), {@code not-yet-valid} ({@code NOT_YET_VALID}), {@code wrong-issuer} and
 *       {@code issuer-prefix} ({@code ISSUER_MISMATCH}), {@code issuer-missing} ({@code
 *       MISSING_CLAIM} or {@code ISSUER_MISMATCH}), {@code wrong-audience}, {@code
 *       audience-list-without-ours} and {@code audience-prefix} ({@code AUDIENCE_MISMATCH}), {@code
 *       audience-missing} ({@code MISSING_CLAIM} or {@code AUDIENCE_MISMATCH}), {@code
 *       audience-empty-list} ({@code AUDIENCE_MISMATCH}, {@code MISSING_CLAIM} or {@code
 *       CLAIM_INVALID}).
 *   <li>JSON and size: {@code duplicate-claim}, {@code duplicate-claim-escaped}, {@code
 *       deeply-nested-claims}, {@code deeply-nested-header} ({@code MALFORMED}), {@code oversized}
 *       ({@code TOO_LARGE}).
 * </ul>
 *
 * <p>A {@link JwtValidator} that accepts the issuer's valid token refuses every one of these,
 * whatever its options, unless they trust what an attack brings (the other issuer or audience it
 * names, a {@code dpop+jwt} type, a second key). Two defences depend on options a validator may not
 * have chosen, so their attacks are added only when asked for, through {@link
 * #builder(TestIssuer)}: {@link Builder#accessTokenProfile()} adds {@code
 * id-token-as-access-token}, {@code access-token-without-typ} and {@code
 * access-token-without-client-id}; {@link Builder#maxTokenAge(Duration)} adds {@code too-old} and
 * {@code iat-missing}. A default validator accepts an ID token or a year-old token that has not
 * expired: that is the default, not a flaw the suite could report.
 *
 * <p>Tokens are minted afresh, with the issuer's clock, on every call of {@link #attacks()} and
 * {@link #assertRefusedBy(JwtValidator)}. An instance is immutable and thread-safe.
 *
 * <p><b>Security:</b> for tests only. The tokens are real attacks; a validator that accepts one in
 * a test would accept it in production.
 *
 * @since 0.1.0
 */
public final class AttackSuite {
  /** How deep the arrays of {@code deeply-nested-claims} go: within the default length limit. */
  static final int NESTED_CLAIMS_DEPTH = 4000;

  /** How deep the arrays of {@code deeply-nested-header} go. */
  static final int NESTED_HEADER_DEPTH = 1000;

  /** One more character than the longest token any {@link JwtValidator} may be set to read. */
  static final int OVERSIZED_LENGTH = (1 << 20) + 1;

  /** The longest {@link Builder#maxTokenAge(Duration)} accepted. */
  static final Duration LONGEST_MAX_AGE = Duration.ofDays(3650);

  /** The largest clock skew a {@link JwtValidator} allows. */
  private static final Duration MAX_SKEW = Duration.ofMinutes(5);

  private static final String ATTACKER_SUBJECT = "admin";
  private static final String ATTACKER_ISSUER = "https://attacker.test/";
  private static final String SQL_SECRET = "tollgate-attack-suite-sql-secret";
  private static final SecureRandom RANDOM = new SecureRandom();

  private static final Set<Reason> KEY_REFUSED =
      EnumSet.of(Reason.KEY_NOT_FOUND, Reason.BAD_SIGNATURE);
  private static final Set<Reason> NOT_VERIFIED =
      EnumSet.of(Reason.ALGORITHM_NOT_ALLOWED, Reason.KEY_NOT_FOUND, Reason.BAD_SIGNATURE);

  private final TestIssuer issuer;
  private final boolean accessTokenProfile;
  private final @Nullable Duration maxTokenAge;

  private AttackSuite(
      TestIssuer issuer, boolean accessTokenProfile, @Nullable Duration maxTokenAge) {
    this.issuer = issuer;
    this.accessTokenProfile = accessTokenProfile;
    this.maxTokenAge = maxTokenAge;
  }

  /**
   * Returns the suite of attacks that every validator accepting the issuer's valid token must
   * refuse, whatever its options.
   *
   * @param issuer the issuer whose keys the validator trusts; its {@link
   *     TestIssuer.Builder#tokenDefaults token defaults} shape every attack token
   * @return the suite
   * @throws NullPointerException if {@code issuer} is null
   * @since 0.1.0
   */
  public static AttackSuite against(TestIssuer issuer) {
    return builder(issuer).build();
  }

  /**
   * Starts a suite that also checks defences a validator has only when configured for them.
   *
   * @param issuer the issuer whose keys the validator trusts
   * @return a new builder
   * @throws NullPointerException if {@code issuer} is null
   * @since 0.1.0
   */
  public static Builder builder(TestIssuer issuer) {
    return new Builder(Objects.requireNonNull(issuer, "issuer"));
  }

  /**
   * Mints the attacks afresh, with the issuer's clock, for parameterized tests: present each {@link
   * Attack#token()} and check the refusal yourself, or call {@link
   * Attack#assertRefusedBy(JwtValidator)}. Call {@link #assertValidTokenAcceptedBy(JwtValidator)}
   * too, or the refusals prove nothing.
   *
   * @return the attacks that apply to the issuer's algorithm, in a fixed order, with unique names
   * @since 0.1.0
   */
  public List<Attack> attacks() {
    return new Minting(issuer).mint();
  }

  /**
   * Asserts that a validator accepts the issuer's valid token, without which its refusals of the
   * attacks prove nothing.
   *
   * @param validator the validator under test
   * @throws AssertionError if the validator refuses the token; the message says which setting of
   *     the validator and the issuer differ
   * @throws NullPointerException if {@code validator} is null
   * @since 0.1.0
   */
  public void assertValidTokenAcceptedBy(JwtValidator validator) {
    Objects.requireNonNull(validator, "validator");
    checkValidToken(validator::validate, true);
  }

  /**
   * Asserts that a target accepts the issuer's valid token, without which its refusals of the
   * attacks prove nothing.
   *
   * @param target what accepts or refuses tokens, for example your API
   * @throws AssertionError if the target refuses the token
   * @throws NullPointerException if {@code target} is null
   * @since 0.1.0
   */
  public void assertValidTokenAcceptedBy(Target target) {
    checkValidToken(Objects.requireNonNull(target, "target"), false);
  }

  /**
   * Asserts that a validator accepts the issuer's valid token and refuses every attack, each with
   * one of its acceptable reasons.
   *
   * @param validator the validator under test, built as your application builds it
   * @throws AssertionError if the validator refuses the valid token, or accepts an attack, refuses
   *     it for another reason, or throws anything but a {@link JwtValidationException}; the message
   *     names every such attack, and never contains a token
   * @throws NullPointerException if {@code validator} is null
   * @since 0.1.0
   */
  public void assertRefusedBy(JwtValidator validator) {
    Objects.requireNonNull(validator, "validator");
    run(validator::validate, true);
  }

  /**
   * Asserts that a target accepts the issuer's valid token and refuses every attack. The target
   * refuses by throwing: when it throws a {@link JwtValidationException}, its reason must be one of
   * the attack's acceptable reasons; any other exception counts as a refusal whose reason cannot be
   * checked.
   *
   * <pre>{@code
   * AttackSuite.against(idp).assertRefusedBy(token -> multiIssuerValidator.validate(token));
   * }</pre>
   *
   * @param target what accepts or refuses tokens: a {@code MultiIssuerValidator}, your API, another
   *     library
   * @throws AssertionError if the target refuses the valid token, or accepts an attack, refuses it
   *     with a {@link JwtValidationException} of another reason, or overflows its stack; the
   *     message names every such attack, and never contains a token
   * @throws NullPointerException if {@code target} is null
   * @since 0.1.0
   */
  public void assertRefusedBy(Target target) {
    run(Objects.requireNonNull(target, "target"), false);
  }

  private void run(Target target, boolean strict) {
    checkValidToken(target, strict);
    List<Attack> attacks = attacks();
    List<String> failures = new ArrayList<>();
    boolean wrongReason = false;
    for (Attack attack : attacks) {
      Answer answer = present(target, attack.token, strict);
      String problem = attack.problem(answer);
      if (problem != null) {
        failures.add("  - " + attack.name + ": " + problem + ". " + attack.describe());
        wrongReason |= answer.reason != null;
      }
    }
    if (failures.isEmpty()) {
      return;
    }
    StringBuilder message =
        new StringBuilder("AttackSuite: ")
            .append(failures.size())
            .append(" of ")
            .append(attacks.size())
            .append(" attacks minted by ")
            .append(issuer)
            .append(" were not refused as they must be:\n");
    for (String f : failures) {
      message.append(f).append('\n');
    }
    if (wrongReason) {
      message.append(
          "A refusal for another reason means the check meant for that attack let it through"
              + " and another check happened to stop it.\n");
    }
    throw new AssertionError(message.toString().strip());
  }

  private void checkValidToken(Target target, boolean strict) {
    Answer answer = present(target, issuer.validToken(), strict);
    if (answer.accepted) {
      return;
    }
    String what;
    String advice;
    if (answer.reason != null) {
      what = "refused it with " + answer.reason;
      advice = advice(answer.reason);
    } else {
      what = "threw " + answer.thrown;
      advice =
          "make the target accept a token of "
              + issuer
              + " (throwing JwtValidationException tells the suite why it refuses)";
    }
    throw new AssertionError(
        "AttackSuite proves nothing here: the issuer's valid token must be accepted, but the"
            + " validator "
            + what
            + ", so it would refuse every attack whatever its defences. "
            + advice
            + ".");
  }

  private String advice(Reason reason) {
    return switch (reason) {
      case ALGORITHM_NOT_ALLOWED ->
          "The validator does not allow "
              + issuer.algorithm().jwaName()
              + ": create the issuer with an algorithm it allows, for example"
              + " TestIssuer.builder().algorithm(Algorithm.ES256)";
      case KEY_NOT_FOUND, BAD_SIGNATURE, WEAK_KEY, KEYS_UNAVAILABLE ->
          "The validator does not"
              + " trust the issuer's key (kid "
              + issuer.keyId()
              + "): give it issuer.keys(), or publish issuer.jwks() where it fetches keys"
              + " (JwksServer)";
      case ISSUER_MISMATCH ->
          "The validator expects another issuer than \""
              + issuer.issuer()
              + "\": build the issuer with TestIssuer.builder().issuer(...) set to the validator's"
              + " issuer";
      case AUDIENCE_MISMATCH ->
          "The validator expects another audience than \""
              + issuer.audience()
              + "\": build the issuer with TestIssuer.builder().audience(...) set to the"
              + " validator's audience";
      case EXPIRED, NOT_YET_VALID, TOO_OLD ->
          "The validator's clock and the issuer's disagree:"
              + " build the issuer with TestIssuer.builder().clock(...) given the validator's clock";
      case TYPE_MISMATCH, MISSING_CLAIM, CLAIM_INVALID ->
          "The validator requires a type or"
              + " claims the issuer's tokens lack: add them with"
              + " TestIssuer.builder().tokenDefaults(t -> t.type(\"at+jwt\").claim(\"client_id\","
              + " \"app\")), for example";
      case TOO_LARGE -> "The validator's maxTokenLength is shorter than the issuer's valid token";
      case MALFORMED, UNSUPPORTED_CRITICAL_HEADER ->
          "The issuer's token defaults make tokens the"
              + " validator cannot read: check TestIssuer.builder().tokenDefaults(...)";
    };
  }

  /**
   * Presents a token to a target. In strict mode (a {@link JwtValidator}) only a {@link
   * JwtValidationException} is a refusal; otherwise any exception or assertion error is.
   */
  @SuppressWarnings("InterruptedExceptionSwallowed") // the interrupt is restored
  private static Answer present(Target target, String token, boolean strict) {
    try {
      target.present(token);
      return Answer.ACCEPTED;
    } catch (JwtValidationException e) {
      return new Answer(false, e.reason(), null, null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return other(e, strict);
    } catch (Exception | AssertionError e) {
      return other(e, strict);
    } catch (StackOverflowError e) {
      return new Answer(false, null, null, e.getClass().getName());
    }
  }

  private static Answer other(Throwable e, boolean strict) {
    String type = e.getClass().getName();
    return strict ? new Answer(false, null, null, type) : new Answer(false, null, type, null);
  }

  /** What a target answered, without any token text. */
  private static final class Answer {
    static final Answer ACCEPTED = new Answer(true, null, null, null);

    final boolean accepted;

    /** The reason of a {@link JwtValidationException}. */
    final @Nullable Reason reason;

    /** The type of another exception that counts as a refusal. */
    final @Nullable String thrown;

    /** The type of an exception that is not a refusal. */
    final @Nullable String crashed;

    Answer(
        boolean accepted,
        @Nullable Reason reason,
        @Nullable String thrown,
        @Nullable String crashed) {
      this.accepted = accepted;
      this.reason = reason;
      this.thrown = thrown;
      this.crashed = crashed;
    }
  }

  /**
   * Describes the suite by its issuer and the options it checks, without tokens.
   *
   * @return a description safe to log
   */
  @Override
  public String toString() {
    return "AttackSuite["
        + issuer
        + (accessTokenProfile ? ", accessTokenProfile" : "")
        + (maxTokenAge != null ? ", maxTokenAge=" + maxTokenAge : "")
        + "]";
  }

  /**
   * What accepts or refuses tokens: a {@link JwtValidator} wrapped by your code, your API's request
   * handler, another library.
   *
   * @since 0.1.0
   */
  @FunctionalInterface
  public interface Target {
    /**
     * Presents a token as a request would.
     *
     * @param token the token; never log or print it
     * @throws Exception to refuse the token: a {@link JwtValidationException} says why, and the
     *     suite checks that reason; any other exception (or an {@link AssertionError}) is a refusal
     *     whose reason is not checked
     * @since 0.1.0
     */
    void present(String token) throws Exception;
  }

  /**
   * One attack: a token, valid but for one change, and the reasons for which a validator may refuse
   * it.
   *
   * @since 0.1.0
   */
  public static final class Attack {
    private final String name;
    private final String description;
    private final String token;
    private final Set<Reason> acceptableReasons;
    private final @Nullable String requiredOption;

    Attack(
        String name,
        String description,
        String token,
        Set<Reason> acceptableReasons,
        @Nullable String requiredOption) {
      this.name = name;
      this.description = description;
      this.token = token;
      this.acceptableReasons = Collections.unmodifiableSet(EnumSet.copyOf(acceptableReasons));
      this.requiredOption = requiredOption;
    }

    /**
     * Returns the attack's stable name, such as {@code hmac-confusion-pem}.
     *
     * @return the name
     * @since 0.1.0
     */
    public String name() {
      return name;
    }

    /**
     * Returns one sentence on what the token does and which flaw would let it through.
     *
     * @return the description
     * @since 0.1.0
     */
    public String description() {
      return description;
    }

    /**
     * Returns the attack token.
     *
     * <p><b>Security:</b> a real attack; keep it out of logs and assertion messages.
     *
     * @return the token
     * @since 0.1.0
     */
    public String token() {
      return token;
    }

    /**
     * Returns the reasons for which a validator may refuse this token: the check meant for the
     * attack, and any earlier check the token cannot pass (such as {@code TOO_LARGE} for a token
     * longer than the valid one).
     *
     * @return an unmodifiable, non-empty set
     * @since 0.1.0
     */
    public Set<Reason> acceptableReasons() {
      return acceptableReasons;
    }

    /**
     * Returns the validator option whose defence this attack tests, such as {@code
     * "accessTokenProfile()"}, for attacks added by the {@link Builder}; empty for attacks every
     * validator must refuse.
     *
     * @return the option, or empty
     * @since 0.1.0
     */
    public Optional<String> requiredOption() {
      return Optional.ofNullable(requiredOption);
    }

    /**
     * Asserts that a validator refuses this token with one of its acceptable reasons. It does not
     * check the valid token: call {@link AttackSuite#assertValidTokenAcceptedBy(JwtValidator)} once
     * too.
     *
     * @param validator the validator under test
     * @throws AssertionError naming this attack, if the validator accepts the token, refuses it for
     *     another reason, or throws anything but a {@link JwtValidationException}
     * @throws NullPointerException if {@code validator} is null
     * @since 0.1.0
     */
    public void assertRefusedBy(JwtValidator validator) {
      Objects.requireNonNull(validator, "validator");
      check(validator::validate, true);
    }

    /**
     * Asserts that a target refuses this token; when it throws a {@link JwtValidationException},
     * with one of the acceptable reasons.
     *
     * @param target what accepts or refuses tokens
     * @throws AssertionError naming this attack, if the target accepts the token, refuses it with a
     *     {@link JwtValidationException} of another reason, or overflows its stack
     * @throws NullPointerException if {@code target} is null
     * @since 0.1.0
     */
    public void assertRefusedBy(Target target) {
      check(Objects.requireNonNull(target, "target"), false);
    }

    private void check(Target target, boolean strict) {
      String problem = problem(present(target, token, strict));
      if (problem != null) {
        throw new AssertionError("Attack " + name + ": " + problem + ". " + describe());
      }
    }

    /** Returns what is wrong with an answer to this attack, or null when it is a due refusal. */
    @Nullable String problem(Answer answer) {
      if (answer.accepted) {
        return "accepted";
      }
      if (answer.crashed != null) {
        return "threw " + answer.crashed + " instead of refusing";
      }
      if (answer.reason != null && !acceptableReasons.contains(answer.reason)) {
        // The reasons of the attack first; TOO_LARGE, when only its length allows it, last.
        StringJoiner expected = new StringJoiner(" or ");
        for (Reason r : acceptableReasons) {
          if (r != Reason.TOO_LARGE || acceptableReasons.size() == 1) {
            expected.add(r.name());
          }
        }
        if (acceptableReasons.size() > 1 && acceptableReasons.contains(Reason.TOO_LARGE)) {
          expected.add(Reason.TOO_LARGE.name());
        }
        return "refused with " + answer.reason + ", expected " + expected;
      }
      return null;
    }

    String describe() {
      return requiredOption == null
          ? description
          : description + " (the suite was told the validator uses " + requiredOption + ")";
    }

    /**
     * Returns the attack's name, without the token: parameterized tests show it.
     *
     * @return the name
     */
    @Override
    public String toString() {
      return name;
    }
  }

  /**
   * Adds to an {@link AttackSuite} the attacks on defences that a validator has only when
   * configured for them. Each option may be set once. Not thread-safe.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private final TestIssuer issuer;
    private boolean accessTokenProfile;
    private @Nullable Duration maxTokenAge;

    private Builder(TestIssuer issuer) {
      this.issuer = issuer;
    }

    /**
     * Adds the attacks that a validator built with {@link
     * JwtValidator.Builder#accessTokenProfile()} refuses: {@code id-token-as-access-token} ({@code
     * TYPE_MISMATCH} or {@code MISSING_CLAIM}), {@code access-token-without-typ} ({@code
     * TYPE_MISMATCH}) and {@code access-token-without-client-id} ({@code MISSING_CLAIM}). Default:
     * not added. The issuer's tokens must then be access tokens: build it with {@link
     * TestIssuer.Builder#tokenDefaults tokenDefaults(t -> t.type("at+jwt").claim("client_id",
     * "app"))}.
     *
     * @return this builder
     * @throws IllegalStateException if this option was already set
     * @since 0.1.0
     */
    public Builder accessTokenProfile() {
      if (accessTokenProfile) {
        throw new IllegalStateException("accessTokenProfile was already set");
      }
      accessTokenProfile = true;
      return this;
    }

    /**
     * Adds the attacks that a validator built with {@link
     * JwtValidator.Builder#maxTokenAge(Duration)} refuses: {@code too-old}, a token issued more
     * than {@code maxAge} plus the largest clock skew ago that has not expired ({@code TOO_OLD}),
     * and {@code iat-missing} ({@code MISSING_CLAIM}). Default: not added.
     *
     * @param maxAge the validator's maximum token age
     * @return this builder
     * @throws NullPointerException if {@code maxAge} is null
     * @throws IllegalArgumentException if {@code maxAge} is not positive or above 3650 days
     * @throws IllegalStateException if this option was already set
     * @since 0.1.0
     */
    public Builder maxTokenAge(Duration maxAge) {
      if (maxTokenAge != null) {
        throw new IllegalStateException("maxTokenAge was already set");
      }
      Objects.requireNonNull(maxAge, "maxAge");
      if (maxAge.isNegative() || maxAge.isZero() || maxAge.compareTo(LONGEST_MAX_AGE) > 0) {
        throw new IllegalArgumentException("maxTokenAge must be positive and at most 3650 days");
      }
      maxTokenAge = maxAge;
      return this;
    }

    /**
     * Builds the suite.
     *
     * @return the suite, unaffected by later calls on this builder
     * @since 0.1.0
     */
    public AttackSuite build() {
      return new AttackSuite(issuer, accessTokenProfile, maxTokenAge);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The attacks

  /** Mints one list of attacks. */
  private final class Minting {
    private final TestIssuer is;
    private final Algorithm alg;
    private final KeyMaterial key;
    private final Instant now;
    private final int validLength;
    private final List<Attack> out = new ArrayList<>();

    Minting(TestIssuer is) {
      this.is = is;
      this.alg = is.algorithm();
      this.key = is.key();
      this.now = is.now();
      this.validLength = is.validToken().length();
    }

    private void add(String name, String description, String token, Set<Reason> reasons) {
      add(name, description, token, reasons, null);
    }

    private void add(String name, String description, String token, Reason reason) {
      add(name, description, token, EnumSet.of(reason), null);
    }

    private void add(
        String name,
        String description,
        String token,
        Set<Reason> reasons,
        @Nullable String option) {
      EnumSet<Reason> acceptable = EnumSet.copyOf(reasons);
      if (token.length() > validLength) {
        acceptable.add(Reason.TOO_LARGE);
      }
      out.add(new Attack(name, description, token, acceptable, option));
    }

    List<Attack> mint() {
      unsigned();
      forgedSignatures();
      malleatedSignatures();
      confusion();
      keyInjection();
      kidInjection();
      headers();
      claims();
      json();
      if (accessTokenProfile) {
        accessTokens();
      }
      Duration maxAge = maxTokenAge;
      if (maxAge != null) {
        age(maxAge);
      }
      return Collections.unmodifiableList(out);
    }

    private void unsigned() {
      add(
          "alg-none",
          "alg \"none\" and an empty signature: an unsigned token with any claims the attacker"
              + " likes",
          is.unsignedToken(),
          Reason.ALGORITHM_NOT_ALLOWED);
      for (String spelling : List.of("None", "NONE", "nOnE")) {
        add(
            "alg-" + spelling,
            "alg \""
                + spelling
                + "\" and an empty signature, for validators that block only the lowercase none",
            is.token().header("alg", spelling).signingInput() + ".",
            Reason.ALGORITHM_NOT_ALLOWED);
      }
    }

    private void forgedSignatures() {
      add(
          "stripped-signature",
          "the issuer's header and claims with the signature cut off, for validators that take an"
              + " empty signature for no signature to check",
          is.token().signingInput() + ".",
          EnumSet.of(Reason.BAD_SIGNATURE, Reason.MALFORMED));
      add(
          "altered-payload",
          "a valid token whose claims were edited (sub \"admin\") under the issuer's signature",
          alteredPayload(),
          Reason.BAD_SIGNATURE);
      add(
          "signed-by-another-key",
          "the issuer's header and kid, signed by a key of the same kind that nobody trusts",
          is.signedByAnotherKeyToken(),
          Reason.BAD_SIGNATURE);
      int coordinate = key.family().ecCoordinateBytes();
      if (coordinate > 0) {
        add(
            "ecdsa-zero-signature",
            "an ECDSA signature of r = s = 0, the psychic signature that some JDKs accepted for"
                + " any message (CVE-2022-21449)",
            is.ecdsaZeroSignatureToken(),
            Reason.BAD_SIGNATURE);
        BigInteger order = ((ECPublicKey) key.publicKey()).getParams().getOrder();
        byte[] n = fixed(order, coordinate);
        byte[] signature = new byte[2 * coordinate];
        System.arraycopy(n, 0, signature, 0, coordinate);
        System.arraycopy(n, 0, signature, coordinate, coordinate);
        add(
            "ecdsa-order-signature",
            "an ECDSA signature of r = s = n, the curve order: zero modulo n, the psychic signature"
                + " for verifiers that only rule out r = 0 and s = 0",
            is.token().signingInput() + "." + Base64Url.encode(signature),
            Reason.BAD_SIGNATURE);
      }
    }

    private String alteredPayload() {
      TokenBuilder t = is.token();
      String signed = t.sign();
      String signature = signed.substring(signed.lastIndexOf('.') + 1);
      t.subject(ATTACKER_SUBJECT);
      if (signed.startsWith(t.signingInput() + ".")) {
        t.subject("root");
      }
      return t.signingInput() + "." + signature;
    }

    private void malleatedSignatures() {
      String valid = is.validToken();
      String signature = valid.substring(valid.lastIndexOf('.') + 1);
      int bytes = Objects.requireNonNull(Base64Url.decode(signature)).length;
      if (bytes % 3 == 0) {
        return; // every bit of the last character is used: one spelling only
      }
      add(
          "signature-padding",
          "the issuer's signature with base64 padding appended: the same bytes spelled another"
              + " way, which brings a revoked token back past a deny-list of token texts",
          valid + (bytes % 3 == 1 ? "==" : "="),
          EnumSet.of(Reason.MALFORMED, Reason.BAD_SIGNATURE));
      char last = signature.charAt(signature.length() - 1);
      String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
      char changed = alphabet.charAt(alphabet.indexOf(last) | 1);
      add(
          "signature-non-canonical",
          "the issuer's signature with the unused low bits of its last character set: the same"
              + " bytes spelled another way, which brings a revoked token back past a deny-list of"
              + " token texts",
          valid.substring(0, valid.length() - 1) + changed,
          EnumSet.of(Reason.MALFORMED, Reason.BAD_SIGNATURE));
    }

    private void confusion() {
      if (!key.isSecret()) {
        add(
            "hmac-confusion-pem",
            "alg HS256 with the MAC keyed with the issuer's public key as PEM text: the HS/RS"
                + " algorithm confusion (CVE-2015-9235)",
            is.hmacConfusionToken(),
            NOT_VERIFIED);
        add(
            "hmac-confusion-der",
            "alg HS256 with the MAC keyed with the DER bytes of the issuer's public key",
            is.hmacConfusionTokenWithDerKey(),
            NOT_VERIFIED);
        add(
            "hmac-confusion-jwk",
            "alg HS256 with the MAC keyed with the issuer's published JWK text",
            is.hmacConfusion(is.publicJwk().getBytes(UTF_8)),
            NOT_VERIFIED);
      }
      Algorithm hs = hmacAlgorithm();
      String secret = "your-" + hs.jwaName().substring(2) + "-bit-secret";
      add(
          "weak-hmac-secret",
          hs.jwaName()
              + " keyed with the well-known example secret \""
              + secret
              + "\", for validators configured with a guessable secret",
          macToken(is.token(), hs, secret.getBytes(UTF_8)),
          NOT_VERIFIED);
    }

    private void keyInjection() {
      add(
          "jwk-header",
          "the attacker's key in the jwk header, with the attacker's kid, signed by that key"
              + " (CVE-2018-0114)",
          is.embeddedJwkToken(),
          KEY_REFUSED);
      KeyMaterial attacker = is.stranger();
      TokenBuilder t = is.token().header("jwk", attacker.jwk(is.keyId(), alg));
      add(
          "jwk-header-trusted-kid",
          "the attacker's key in the jwk header under the issuer's own kid, signed by that key",
          t.sign(t.signingAlgorithm(), attacker.signingKey()),
          KEY_REFUSED);
      add(
          "jku-header",
          "a jku header pointing at the attacker's key set, signed by the attacker's key; a"
              + " validator must never fetch it",
          is.jkuToken(),
          KEY_REFUSED);
      add(
          "x5u-header",
          "an x5u header pointing at the attacker's certificate, signed by the attacker's key; a"
              + " validator must never fetch it",
          is.x5uToken(),
          KEY_REFUSED);
      if (!key.isSecret()) {
        add(
            "x5c-header",
            "the attacker's self-signed certificate in the x5c header, signed by its key",
            is.x5cToken(),
            KEY_REFUSED);
      }
    }

    private void kidInjection() {
      Algorithm hs = hmacAlgorithm();
      // HMAC pads its key with zero bytes, so one zero byte keys it exactly as an empty key does.
      byte[] empty = new byte[1];
      add(
          "kid-path-traversal",
          hs.jwaName()
              + " with kid \"../../../../../../../../dev/null\" and the MAC keyed with nothing, for"
              + " key stores that read the kid as a file name",
          macToken(is.token().keyId("../../../../../../../../dev/null"), hs, empty),
          NOT_VERIFIED);
      add(
          "kid-sql-injection",
          hs.jwaName()
              + " with a kid that makes a SQL key store return a secret of the attacker's choosing,"
              + " and the MAC keyed with it",
          macToken(
              is.token().keyId("x' UNION SELECT '" + SQL_SECRET + "' -- "),
              hs,
              SQL_SECRET.getBytes(UTF_8)),
          NOT_VERIFIED);
      add(
          "kid-empty",
          hs.jwaName()
              + " with an empty kid and the MAC keyed with nothing, for key stores that answer an"
              + " unknown id with an empty secret",
          macToken(is.token().keyId(""), hs, empty),
          NOT_VERIFIED);
    }

    private void headers() {
      add(
          "crit-unknown",
          "a critical header extension (crit) that no validator knows, validly signed",
          is.critToken(),
          Reason.UNSUPPORTED_CRITICAL_HEADER);
      add(
          "b64-false",
          "an unencoded payload (b64: false, RFC 7797), validly signed: the signed bytes and the"
              + " claims read may differ",
          is.unencodedPayloadToken(),
          EnumSet.of(Reason.UNSUPPORTED_CRITICAL_HEADER, Reason.MALFORMED));
      add(
          "typ-dpop",
          "a DPoP proof (typ dpop+jwt) signed by the issuer's key, presented as an access token:"
              + " cross-JWT confusion",
          is.wrongTypeToken(),
          Reason.TYPE_MISMATCH);
      add(
          "jwe",
          "a JWE (five segments, alg dir) whose claims are encrypted under a key the attacker"
              + " chose: encrypted, not signed, it proves nothing about its origin",
          jwe(),
          EnumSet.of(Reason.MALFORMED, Reason.ALGORITHM_NOT_ALLOWED));
    }

    private void claims() {
      add(
          "expired",
          "a token that expired ten minutes ago",
          is.expiredToken(),
          EnumSet.of(Reason.EXPIRED, Reason.TOO_OLD));
      add(
          "exp-as-string",
          "exp of ten minutes ago written as a string, for validators that skip an exp they"
              + " cannot read",
          is.token()
              .issuedAt(now.minus(Duration.ofMinutes(15)))
              .claim("exp", Long.toString(now.minus(Duration.ofMinutes(10)).getEpochSecond()))
              .sign(),
          EnumSet.of(Reason.CLAIM_INVALID, Reason.EXPIRED, Reason.MALFORMED));
      add(
          "exp-missing",
          "a token without exp: it would never expire",
          is.tokenWithout("exp"),
          Reason.MISSING_CLAIM);
      add(
          "not-yet-valid",
          "a token whose nbf is ten minutes ahead",
          is.notYetValidToken(),
          Reason.NOT_YET_VALID);
      add(
          "wrong-issuer",
          "a token naming another issuer, signed by the trusted key",
          is.wrongIssuerToken(),
          Reason.ISSUER_MISMATCH);
      add(
          "issuer-prefix",
          "the trusted issuer with more text appended, for validators that compare with"
              + " startsWith",
          is.token().issuer(is.issuer() + "attacker.test/").sign(),
          Reason.ISSUER_MISMATCH);
      add(
          "issuer-missing",
          "a token without iss",
          is.tokenWithout("iss"),
          EnumSet.of(Reason.MISSING_CLAIM, Reason.ISSUER_MISMATCH));
      add(
          "wrong-audience",
          "a token for another API, signed by the trusted key: the substitution attack",
          is.wrongAudienceToken(),
          Reason.AUDIENCE_MISMATCH);
      String ours = is.audience();
      add(
          "audience-list-without-ours",
          "aud as a list of two other audiences",
          is.token().audience(other(ours, "other-api"), other(ours, "another-api")).sign(),
          Reason.AUDIENCE_MISMATCH);
      add(
          "audience-prefix",
          "the trusted audience with more text appended, for validators that compare with"
              + " startsWith or contains",
          is.token().audience(ours + "-admin").sign(),
          Reason.AUDIENCE_MISMATCH);
      add(
          "audience-missing",
          "a token without aud",
          is.tokenWithout("aud"),
          EnumSet.of(Reason.MISSING_CLAIM, Reason.AUDIENCE_MISMATCH));
      add(
          "audience-empty-list",
          "aud as an empty list, for validators that check that every audience listed is theirs",
          is.token().audience().sign(),
          EnumSet.of(Reason.AUDIENCE_MISMATCH, Reason.MISSING_CLAIM, Reason.CLAIM_INVALID));
    }

    private void json() {
      TokenBuilder t = is.token();
      String claims = t.claimsJson();
      boolean hasSubject;
      try {
        hasSubject = Json.parseObject(claims.getBytes(UTF_8), 64).containsKey("sub");
      } catch (JsonException e) {
        throw new IllegalStateException("the issuer's token defaults wrote invalid claims", e);
      }
      // The claim named twice: sub when there is one, else iss, which every valid token has.
      String name = hasSubject ? "sub" : "iss";
      String value = hasSubject ? ATTACKER_SUBJECT : ATTACKER_ISSUER;
      String open = claims.substring(0, claims.length() - 1);
      add(
          "duplicate-claim",
          "the claim "
              + name
              + " twice, the second time \""
              + value
              + "\": parsers disagree on which one wins",
          is.token().payload(open + ",\"" + name + "\":\"" + value + "\"}").sign(),
          Reason.MALFORMED);
      String escaped = "\\u" + String.format("%04x", (int) name.charAt(0)) + name.substring(1);
      add(
          "duplicate-claim-escaped",
          "the claim "
              + name
              + " twice, the second time with its name spelled with a \\u escape, for duplicate"
              + " checks that compare raw bytes",
          is.token().payload(open + ",\"" + escaped + "\":\"" + value + "\"}").sign(),
          Reason.MALFORMED);
      add(
          "deeply-nested-claims",
          "a claim of " + NESTED_CLAIMS_DEPTH + " nested arrays, for recursive JSON parsers",
          is.deeplyNestedToken(NESTED_CLAIMS_DEPTH),
          Reason.MALFORMED);
      TokenBuilder h = is.token();
      String header = h.headerJson();
      h.rawHeader(
          header.substring(0, header.length() - 1)
              + ",\"nested\":"
              + "[".repeat(NESTED_HEADER_DEPTH)
              + "]".repeat(NESTED_HEADER_DEPTH)
              + "}");
      add(
          "deeply-nested-header",
          "a header member of " + NESTED_HEADER_DEPTH + " nested arrays, validly signed",
          h.sign(),
          Reason.MALFORMED);
      add(
          "oversized",
          "a validly signed token of "
              + OVERSIZED_LENGTH
              + " characters, longer than any validator should read",
          is.oversizedToken(OVERSIZED_LENGTH),
          Reason.TOO_LARGE);
    }

    private void accessTokens() {
      String option = "accessTokenProfile()";
      add(
          "id-token-as-access-token",
          "an OpenID Connect ID token (typ JWT, nonce, no client_id) presented as an access token",
          is.idTokenAsAccessToken(),
          EnumSet.of(Reason.TYPE_MISMATCH, Reason.MISSING_CLAIM),
          option);
      add(
          "access-token-without-typ",
          "an access token without the typ header that tells it from other JWTs",
          is.token().withoutHeader("typ").sign(),
          EnumSet.of(Reason.TYPE_MISMATCH),
          option);
      add(
          "access-token-without-client-id",
          "an access token without client_id",
          is.token().withoutClaim("client_id").sign(),
          EnumSet.of(Reason.MISSING_CLAIM),
          option);
    }

    private void age(Duration maxAge) {
      String option = "maxTokenAge(" + maxAge + ")";
      add(
          "too-old",
          "a token issued longer ago than the maximum token age and the largest clock skew, not"
              + " yet expired",
          is.token()
              .issuedAt(now.minus(maxAge).minus(MAX_SKEW).minusSeconds(1))
              .expiresAt(now.plus(Duration.ofMinutes(5)))
              .sign(),
          EnumSet.of(Reason.TOO_OLD),
          option);
      add(
          "iat-missing",
          "a token without iat, whose age cannot be told",
          is.tokenWithout("iat"),
          EnumSet.of(Reason.MISSING_CLAIM),
          option);
    }

    /** The issuer's algorithm when it is an HMAC one, else HS256. */
    private Algorithm hmacAlgorithm() {
      return key.isSecret() ? alg : Algorithm.HS256;
    }

    private String macToken(TokenBuilder t, Algorithm hs, byte[] secret) {
      t.header("alg", hs.jwaName());
      return t.sign(hs, new SecretKeySpec(secret, "HMAC"));
    }

    /** An unsigned JWE: alg dir, A128GCM under a random key, carrying the issuer's claims. */
    private String jwe() {
      Map<String, Object> header = new LinkedHashMap<>();
      header.put("alg", "dir");
      header.put("enc", "A128GCM");
      header.put("kid", is.keyId());
      String protectedHeader = Base64Url.encode(Json.write(header).getBytes(UTF_8));
      byte[] contentKey = new byte[16];
      byte[] iv = new byte[12];
      RANDOM.nextBytes(contentKey);
      RANDOM.nextBytes(iv);
      byte[] sealed;
      try {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(
            Cipher.ENCRYPT_MODE,
            new SecretKeySpec(contentKey, "AES"),
            new GCMParameterSpec(128, iv));
        cipher.updateAAD(protectedHeader.getBytes(US_ASCII));
        sealed = cipher.doFinal(is.token().claimsJson().getBytes(UTF_8));
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("this JDK cannot encrypt with AES-GCM", e);
      }
      int tagStart = sealed.length - 16;
      byte[] ciphertext = java.util.Arrays.copyOfRange(sealed, 0, tagStart);
      byte[] tag = java.util.Arrays.copyOfRange(sealed, tagStart, sealed.length);
      return protectedHeader
          + ".."
          + Base64Url.encode(iv)
          + "."
          + Base64Url.encode(ciphertext)
          + "."
          + Base64Url.encode(tag);
    }
  }

  private static String other(String value, String candidate) {
    return value.equals(candidate) ? candidate + "-other" : candidate;
  }

  /** Big-endian, unsigned, left-padded with zeros to exactly {@code len} bytes. */
  private static byte[] fixed(BigInteger value, int len) {
    byte[] b = value.toByteArray();
    byte[] out = new byte[len];
    if (b.length >= len) {
      System.arraycopy(b, b.length - len, out, 0, len);
    } else {
      System.arraycopy(b, 0, out, len - b.length, b.length);
    }
    return out;
  }
}
