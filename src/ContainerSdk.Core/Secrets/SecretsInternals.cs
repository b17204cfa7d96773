using System.Runtime.CompilerServices;

// The rule tests read SecretMatch.Secret to prove hints never reveal it; nothing else outside may.
[assembly: InternalsVisibleTo("ContainerSdk.Secrets.Tests")]
