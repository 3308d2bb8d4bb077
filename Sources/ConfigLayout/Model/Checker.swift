import Spelling

/// The result of checking one file: what it declares. Diagnostics are returned alongside.
public struct CheckedFile: Sendable {
    public let devices: [Device]
    /// The transport this file declares, if any.
    public let transport: Transport?
}

/// Turns a parse tree into the checked model, reporting every semantic problem it finds: unknown or
/// duplicate names, clashing bits, `requires` cycles, and types and ranges that do not fit. It never
/// stops at the first problem. Checks that need field offsets (`PlacementCheck`) run in the engine.
public struct Checker {
    /// No array may be longer than a configuration space can be (`PlacementCheck.maximumConfigSize`).
    static let maximumArrayBytes = 4096

    var diagnostics: [Diagnostic] = []
    /// Feature names in scope while checking a device: the device's and the transport's.
    var knownFeatures: [String: Feature] = [:]
    var transportInScope: Transport?
    /// Named structs and unions of the device being checked.
    var typeDeclarations: [String: AggregateSyntax] = [:]
    var resolvedTypes: [String: Aggregate] = [:]
    var typesBeingResolved: [String] = []

    /// Checks a parsed file. `imports` are the transports of the files it imports.
    public static func check(_ syntax: LayoutFileSyntax, imports: [Transport]) -> (CheckedFile, [Diagnostic]) {
        var checker = Checker()
        let file = checker.checkFile(syntax, imports: imports)
        return (file, checker.diagnostics.sortedBySource())
    }

    mutating func report(_ kind: Diagnostic.Kind, _ message: String, at span: SourceSpan,
                         notes: [Diagnostic.Note] = []) {
        diagnostics.append(Diagnostic(kind, message, at: span, notes: notes))
    }

    private mutating func checkFile(_ syntax: LayoutFileSyntax, imports: [Transport]) -> CheckedFile {
        var localTransport: Transport?
        var firstTransportSpan: SourceSpan?
        for case .transport(let transportSyntax) in syntax.declarations {
            if let first = firstTransportSpan {
                report(.duplicateDeclaration, "a file declares at most one transport", at: transportSyntax.headSpan,
                       notes: [.init("the first transport is declared here", at: first)])
                continue
            }
            firstTransportSpan = transportSyntax.headSpan
            localTransport = checkTransport(transportSyntax)
        }

        var transport = localTransport
        for imported in imports {
            if let existing = transport {
                report(.duplicateDeclaration, "a second transport is in scope", at: imported.span,
                       notes: [.init("the transport in scope is declared here", at: existing.span)])
            } else {
                transport = imported
            }
        }

        var devices: [Device] = []
        var deviceSpans: [String: SourceSpan] = [:]
        for case .device(let deviceSyntax) in syntax.declarations {
            if let first = deviceSpans[deviceSyntax.name.value] {
                report(.duplicateDevice, "duplicate device '\(deviceSyntax.name.value)'", at: deviceSyntax.name.span,
                       notes: [.init("'\(deviceSyntax.name.value)' is first declared here", at: first)])
                continue
            }
            deviceSpans[deviceSyntax.name.value] = deviceSyntax.name.span
            devices.append(checkDevice(deviceSyntax, transport: transport))
        }
        return CheckedFile(devices: devices, transport: localTransport)
    }

    // MARK: - Transport

    private mutating func checkTransport(_ syntax: TransportSyntax) -> Transport {
        var spec: Located<String>?
        var featureSyntax: [FeatureSyntax] = []
        var ranges: [ClosedRange<Int>] = []
        var rangesSpan: SourceSpan?
        for item in syntax.body {
            switch item {
            case .spec(let text, let keyword):
                checkSingle(&spec, text, keyword: keyword, what: "'spec'")
            case .feature(let feature):
                featureSyntax.append(feature)
            case .selector(let selector):
                report(.syntax, "'selector' belongs in a device", at: selector.span)
            case .deviceBits(let rangeSyntax, let keyword):
                if let first = rangesSpan {
                    report(.duplicateDeclaration, "'device_bits' is declared twice", at: keyword,
                           notes: [.init("first declared here", at: first)])
                    continue
                }
                rangesSpan = keyword
                for range in rangeSyntax {
                    if range.lower.value > range.upper.value {
                        report(.invalidRange, "range \(range.lower.value)...\(range.upper.value) is empty; "
                               + "write the lower bound first", at: range.span)
                    } else if range.upper.value > UInt64(Feature.maximumBit) {
                        report(.featureBitOutOfRange, "bit \(range.upper.value) is beyond the highest feature bit, "
                               + "\(Feature.maximumBit)", at: range.upper.span)
                    } else {
                        ranges.append(Int(range.lower.value)...Int(range.upper.value))
                    }
                }
            case .config, .noConfig, .typeDeclaration, .qemuMinimumSize, .qemuFeatureSize, .qemuPropertySize:
                break  // The parser accepts none of these in a transport.
            }
        }
        knownFeatures = [:]
        transportInScope = nil
        let features = checkFeatures(featureSyntax, scope: .transport, deviceBits: [])
        return Transport(title: syntax.title?.value, doc: syntax.doc?.value, specReference: spec?.value,
                         features: features, deviceBitRanges: ranges, span: syntax.headSpan)
    }

    // MARK: - Device

    private mutating func checkDevice(_ syntax: DeviceSyntax, transport: Transport?) -> Device {
        let name = syntax.name.value
        checkKnown(syntax.since, "since")
        var id = 0
        if let idLiteral = syntax.id {
            if idLiteral.value == 0 {
                report(.deviceIDOutOfRange, "device ID 0 is reserved as invalid", at: idLiteral.span)
            } else if idLiteral.value > 0xFFBF {
                // virtio-pci derives the PCI device ID as 0x1040 + ID, which must fit in 16 bits.
                report(.deviceIDOutOfRange, "device ID \(idLiteral.value) does not fit virtio-pci's 16-bit "
                       + "device ID (0x1040 + ID); the largest is \(0xFFBF)", at: idLiteral.span)
            } else {
                id = Int(idLiteral.value)
            }
        }

        var spec: Located<String>?
        var featureSyntax: [FeatureSyntax] = []
        var configSyntax: AggregateSyntax?
        var configSpan: SourceSpan?
        var hasNoConfig = false
        var qemuAnchor: Located<SizeAnchorSyntax>?
        var qemuTable: [(condition: ExpressionSyntax, anchor: SizeAnchorSyntax)] = []
        var qemuProperties: [(property: Located<String>, anchor: SizeAnchorSyntax)] = []
        var selectorSyntax: [SelectorSyntax] = []
        typeDeclarations = [:]
        resolvedTypes = [:]
        typesBeingResolved = []

        for item in syntax.body {
            switch item {
            case .spec(let text, let keyword):
                checkSingle(&spec, text, keyword: keyword, what: "'spec'")
            case .feature(let feature):
                featureSyntax.append(feature)
            case .config, .noConfig:
                // `config NAME { }` and `config none` are two answers to one question.
                var span = item.span
                if case .config(let aggregate) = item { span = aggregate.kind.span }
                if let first = configSpan {
                    report(.duplicateDeclaration, "device '\(name)' declares its config twice", at: span,
                           notes: [.init("first declared here", at: first)])
                    continue
                }
                configSpan = span
                if case .config(let aggregate) = item { configSyntax = aggregate } else { hasNoConfig = true }
            case .typeDeclaration(let aggregate):
                guard let typeName = aggregate.name else { continue }
                if let first = typeDeclarations[typeName.value] {
                    report(.duplicateDeclaration, "duplicate type '\(typeName.value)'", at: typeName.span,
                           notes: [.init("'\(typeName.value)' is first declared here", at: first.name?.span)])
                } else if ScalarType(rawValue: typeName.value) != nil || typeName.value == "char" {
                    report(.duplicateDeclaration, "'\(typeName.value)' is a built-in type", at: typeName.span)
                } else {
                    typeDeclarations[typeName.value] = aggregate
                }
            case .qemuMinimumSize(let anchor, let keyword):
                let located = Located(anchor, keyword.merged(with: anchor.span))
                checkSingle(&qemuAnchor, located, keyword: keyword, what: "'qemu min_size'")
            case .qemuFeatureSize(let condition, let anchor, _):
                qemuTable.append((condition, anchor))
            case .qemuPropertySize(let property, let anchor, _):
                if let first = qemuProperties.first(where: { $0.property.value == property.value }) {
                    report(.duplicateDeclaration, "duplicate 'qemu property_size' for \"\(property.value)\"",
                           at: property.span, notes: [.init("first given here", at: first.property.span)])
                } else {
                    qemuProperties.append((property, anchor))
                }
            case .selector(let selector):
                selectorSyntax.append(selector)
            case .deviceBits(_, let keyword):
                report(.syntax, "'device_bits' belongs in the transport", at: keyword)
            }
        }

        transportInScope = transport
        knownFeatures = Dictionary(uniqueKeysWithValues: (transport?.features ?? []).map { ($0.name, $0) })
        let features = checkFeatures(featureSyntax, scope: .device, deviceBits: transport?.deviceBitRanges ?? [])

        var config: Aggregate?
        if let configSyntax {
            config = resolveAggregate(configSyntax, owner: "the config of '\(name)'")
        } else if !hasNoConfig {
            report(.missingConfig, "device '\(name)' has no config; write 'config none' if the specification "
                   + "defines none", at: syntax.headSpan)
        }
        // Named types that nothing uses are still checked.
        for typeName in typeDeclarations.keys.sorted() where resolvedTypes[typeName] == nil {
            _ = resolveNamedType(typeName, at: typeDeclarations[typeName]?.name?.span ?? syntax.headSpan)
        }

        var qemuMinimum = SizeAnchor.wholeConfig
        var qemuSizes: [QemuFeatureSize] = []
        var qemuPropertySizes: [QemuPropertySize] = []
        var selectors: [Selector] = []
        if let config {
            selectors = selectorSyntax.compactMap { resolveSelector($0, in: config) }
            if let qemuAnchor { qemuMinimum = resolveAnchor(qemuAnchor.value, in: config, selectors: selectors) }
            qemuSizes = qemuTable.map { QemuFeatureSize(condition: resolveCondition($0.condition),
                                                        anchor: resolveAnchor($0.anchor, in: config, selectors: selectors)) }
            qemuPropertySizes = qemuProperties.map {
                QemuPropertySize(property: $0.property.value, anchor: resolveAnchor($0.anchor, in: config, selectors: selectors))
            }
        }

        return Device(name: name, id: id, title: syntax.title?.value, doc: syntax.doc?.value,
                      since: syntax.since?.value, specReference: spec?.value, features: features,
                      transport: transport, config: config, qemuMinimumSize: qemuMinimum,
                      qemuFeatureSizes: qemuSizes, qemuPropertySizes: qemuPropertySizes, selectors: selectors,
                      span: syntax.headSpan)
    }

    /// Records a declaration that may appear once, reporting any repeat.
    mutating func checkSingle<T>(_ slot: inout Located<T>?, _ value: Located<T>, keyword: SourceSpan, what: String) {
        if let first = slot {
            report(.duplicateDeclaration, "\(what) is declared twice", at: keyword,
                   notes: [.init("first declared here", at: first.span)])
        } else {
            slot = value
        }
    }

    private mutating func resolveAnchor(_ anchor: SizeAnchorSyntax, in config: Aggregate, selectors: [Selector]) -> SizeAnchor {
        switch anchor {
        case .bytes(let count):
            guard count.value <= UInt64(config.size) else {
                report(.rangeDoesNotFit, "QEMU's minimum size \(count.value) is larger than the config "
                       + "(\(config.size) bytes)", at: count.span)
                return .wholeConfig
            }
            return .bytes(Int(count.value))
        case .end(let path, let span), .offset(let path, let span), .selected(let path, let span):
            let names = path.map(\.value)
            guard config.member(at: names) != nil else {
                let known = config.fields.map(\.name)
                let suggestion = Suggestion.closest(to: names.joined(separator: "."), in: known)
                report(.unknownFieldPath, "no field '\(names.joined(separator: "."))' in the config"
                       + (suggestion.map { "; did you mean '\($0)'?" } ?? ""), at: span)
                return .wholeConfig
            }
            switch anchor {
            case .end: return .end(of: names)
            case .selected:
                guard selectors.contains(where: { $0.union == names }) else {
                    report(.unknownFieldPath, "no selector chooses what '\(names.joined(separator: "."))' holds; "
                           + "declare one with 'selector \(names.joined(separator: ".")) by FIELD { ... }'", at: span)
                    return .wholeConfig
                }
                return .selected(of: names)
            default: return .offset(of: names)
            }
        }
    }
}
